// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.ExitHook;
import dev.coppice.core.ExitReason;
import dev.coppice.core.Node;
import dev.coppice.core.Pid;
import dev.coppice.core.Processes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every table shares: ownership, the heir, access checks, the name, fixation and deletion,
 * plus the select family built on {@link #forEachObject}.
 *
 * <h2>Locks and who writes</h2>
 *
 * <ul>
 *   <li>{@link #admin} (a ReentrantLock) guards ownership, the heir, the name, fixations and
 *       deletion. It is held only for short, non-blocking steps, including inside exit hooks.
 *   <li>{@link #lock} (a StampedLock) isolates multi-object writes from single-key readers: a
 *       multi-object write holds its write mode and raises {@link #multiWrite} meanwhile. A
 *       single-key read of a hash table reads that flag and, when it is down, just reads the
 *       map; an ordered_set's point read is an optimistic read validated afterwards. Both fall
 *       back to the read mode when a multi-object write is under way. Traversals do not use it
 *       (they are weakly consistent).
 *   <li>Single-key writes on PRIVATE and PROTECTED tables take no lock: only the owner writes, and
 *       the owner is one thread. Ownership moves only by the owner's own giveAway or, through an
 *       exit hook, after the owner's last {@link Processes#whileAlive guarded} write has finished,
 *       so there is never a second writer. On PUBLIC tables subclasses exclude multi-object writes
 *       in {@link #publicWrite} (see there).
 * </ul>
 *
 * <p>Deletion nulls the subclass's store reference (under {@link #admin}); every operation reads
 * that reference once and throws {@link NoSuchTableException} if it is null.
 */
abstract sealed class AbstractTable<K, V> permits AbstractHashTable, OrderedSetTable {
  private static final Logger log = LoggerFactory.getLogger(AbstractTable.class);
  private static final AtomicLong IDS = new AtomicLong();

  final long id = IDS.incrementAndGet();
  final Node node;
  final TableType type;
  final Access access;
  final boolean named;
  final boolean readConcurrency;
  final boolean writeConcurrency;
  final StampedLock lock = new StampedLock();

  /**
   * 1 while a multi-object write holds {@link #lock}'s write mode (raised after it takes the lock,
   * lowered before it lets go): lock-free point reads look here first (see {@code
   * AbstractHashTable.read}).
   */
  volatile int multiWrite;
  final ReentrantLock admin = new ReentrantLock();

  volatile Pid owner;
  volatile boolean deleted;
  volatile boolean fixed;
  private volatile String name;
  private volatile Pid heir; // null: none
  private Object heirData; // guarded by admin
  private ExitHook.Registration ownerHook; // guarded by admin
  private final HashMap<Pid, Fixation> fixations = new HashMap<>(); // guarded by admin

  private static final class Fixation {
    int count;
    ExitHook.Registration hook;
  }

  @FunctionalInterface
  interface Factory<T> {
    T make(Node node, Pid owner);
  }

  AbstractTable(TableSpec spec, Node node, Pid owner) {
    this.node = node;
    this.owner = owner;
    this.type = spec.type();
    this.access = spec.access();
    this.named = spec.name() != null;
    this.name = named ? spec.name().value() : "table";
    this.readConcurrency = spec.readConcurrency;
    this.writeConcurrency = spec.writeConcurrency;
  }

  // ------------------------------------------------------------------ creation

  static <T extends AbstractTable<?, ?>> T create(TableSpec spec, Factory<T> factory) {
    Pid self = Processes.selfOrNull();
    if (self == null) {
      throw new IllegalStateException(
          "a table belongs to the process that creates it, and this thread is not a process: "
              + "create the table from code running in a process (Node.spawn), or make this "
              + "thread a process first with Node.attach()");
    }
    Node node = self.node();
    Pid heir = spec.heir();
    if (heir != null && heir.node() != node) {
      throw new IllegalArgumentException(
          "heir "
              + heir
              + " belongs to another node than the owner "
              + self
              + ": a table's heir must be a process of the owner's node");
    }
    return Processes.whileAlive(
        () -> {
          T table = factory.make(node, self);
          table.start(spec);
          return table;
        });
  }

  void start(TableSpec spec) {
    admin.lock();
    try {
      Pid h = spec.heir();
      if (h != null && h.isAlive()) {
        heir = h;
        heirData = spec.heirData();
      }
      if (named) {
        NamedTables.of(node).register(name, this);
      }
      Optional<ExitHook.Registration> reg = Processes.onExit(owner, this::ownerEnded);
      if (reg.isEmpty()) { // the creator is being killed right now
        deleteLocked();
        Processes.ensureAlive();
        throw new IllegalStateException(owner + " exited while creating " + this);
      }
      ownerHook = reg.get();
    } finally {
      admin.unlock();
    }
  }

  // ------------------------------------------------------------------ ownership

  /** Exit hook of the current owner: hand the table to a live heir, or delete it. */
  private void ownerEnded(Pid pid, ExitReason reason) {
    admin.lock();
    try {
      if (deleted || owner != pid) {
        return;
      }
      Pid h = heir;
      if (h != null && h != pid && h.isAlive()) {
        Optional<ExitHook.Registration> reg = Processes.onExit(h, this::ownerEnded);
        if (reg.isPresent()) {
          ownerHook = reg.get();
          owner = h;
          node.sendSystem(h, new TableTransfer(handle(), pid, heirData));
          log.atDebug()
              .addKeyValue("table", this)
              .addKeyValue("from", pid)
              .addKeyValue("heir", h)
              .log("table inherited by its heir");
          return;
        }
      }
      ownerHook = null; // it is running now
      deleteLocked();
      log.atDebug()
          .addKeyValue("table", this)
          .addKeyValue("owner", pid)
          .addKeyValue("reason", reason)
          .log("table deleted with its owner");
    } finally {
      admin.unlock();
    }
  }

  /** Runs an owner-only administrative step (give away, heir) under {@link #admin}. */
  private void ownerOnly(String op, Consumer<Pid> step) {
    Processes.whileAlive(
        () -> {
          admin.lock();
          try {
            if (deleted) {
              throw gone();
            }
            Pid self = Processes.selfOrNull();
            if (self != owner) {
              throw new TableAccessException(
                  op
                      + " denied: only the owner "
                      + owner
                      + " of "
                      + this
                      + " may do it, not "
                      + caller(self)
                      + "; this holds whatever the access");
            }
            step.accept(self);
            return null;
          } finally {
            admin.unlock();
          }
        });
  }

  /** Runs a step that the owner, or anyone on a PUBLIC table, may take (delete, rename). */
  private void ownerOrPublic(String op, Runnable step) {
    Processes.whileAlive(
        () -> {
          admin.lock();
          try {
            if (deleted) {
              throw gone();
            }
            if (access != Access.PUBLIC) {
              Pid self = Processes.selfOrNull();
              if (self != owner) {
                throw denied(op, self);
              }
            }
            step.run();
            return null;
          } finally {
            admin.unlock();
          }
        });
  }

  public final void giveAway(Pid to, Object gift) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(gift, "gift");
    ownerOnly(
        "giveAway",
        self -> {
          if (to == self) {
            throw new IllegalArgumentException(
                "cannot give " + this + " to its own owner " + to + ": give it to another process");
          }
          if (to.node() != node) {
            throw new IllegalArgumentException(
                to + " is not a process of the table's node: give " + this + " to a local process");
          }
          Optional<ExitHook.Registration> reg =
              to.isAlive() ? Processes.onExit(to, this::ownerEnded) : Optional.empty();
          if (reg.isEmpty()) {
            throw new IllegalArgumentException(
                "cannot give " + this + " to " + to + ": it is not alive");
          }
          ownerHook.cancel();
          ownerHook = reg.get();
          owner = to;
          node.sendSystem(to, new TableTransfer(handle(), self, gift));
        });
  }

  public final void setHeir(Pid heir, Object data) {
    Objects.requireNonNull(heir, "heir");
    Objects.requireNonNull(data, "data");
    if (heir.node() != node) {
      throw new IllegalArgumentException(
          "heir " + heir + " is not a process of the table's node: an heir must be local");
    }
    ownerOnly(
        "setHeir",
        self -> {
          if (heir.isAlive()) {
            this.heir = heir;
            this.heirData = data;
          } else { // ETS records a dead heir as none
            this.heir = null;
            this.heirData = null;
          }
        });
  }

  public final void clearHeir() {
    ownerOnly(
        "clearHeir",
        self -> {
          this.heir = null;
          this.heirData = null;
        });
  }

  public final Pid owner() {
    Pid o = owner;
    if (deleted) {
      throw gone();
    }
    return o;
  }

  /** {@return this table as its public type} Every subclass implements Table or BagTable. */
  private OwnedTable<?, ?> handle() {
    return (OwnedTable<?, ?>) this;
  }

  // ------------------------------------------------------------------ the table itself

  public final void delete() {
    ownerOrPublic("delete", this::deleteLocked);
  }

  private void deleteLocked() {
    deleted = true;
    dropStore();
    if (ownerHook != null) {
      ownerHook.cancel();
      ownerHook = null;
    }
    for (Fixation f : fixations.values()) {
      f.hook.cancel();
    }
    fixations.clear();
    fixed = false;
    if (named) {
      NamedTables.of(node).unregister(name, this);
    }
  }

  public final TableName<K, V> rename(TableName<K, V> newName) {
    Objects.requireNonNull(newName, "newName");
    ownerOrPublic(
        "rename",
        () -> {
          String old = name;
          if (named && !old.equals(newName.value())) {
            NamedTables tables = NamedTables.of(node);
            tables.register(newName.value(), this);
            tables.unregister(old, this);
          }
          name = newName.value();
        });
    return newName;
  }

  public final Optional<TableInfo> info() {
    admin.lock();
    try {
      if (deleted) {
        return Optional.empty();
      }
      Pid h = heir;
      Map<Pid, Integer> fixes = new HashMap<>();
      fixations.forEach((p, f) -> fixes.put(p, f.count));
      return Optional.of(
          new TableInfo(
              type,
              access,
              owner,
              h == null || !h.isAlive() ? Optional.empty() : Optional.of(h),
              sizeNow(),
              named,
              name,
              readConcurrency,
              writeConcurrency,
              fixes));
    } finally {
      admin.unlock();
    }
  }

  public final long size() {
    if (deleted) {
      throw gone();
    }
    return sizeNow();
  }

  // ------------------------------------------------------------------ fixation

  public final void safeFixtable(boolean fix) {
    Pid self = Processes.self();
    checkRead();
    Processes.whileAlive(
        () -> {
          admin.lock();
          try {
            if (deleted) {
              throw gone();
            }
            Fixation f = fixations.get(self);
            if (fix) {
              if (f == null) {
                Optional<ExitHook.Registration> reg =
                    Processes.onExit(self, (pid, reason) -> releaseFixes(pid));
                if (reg.isEmpty()) {
                  Processes.ensureAlive();
                  throw new IllegalStateException(self + " is exiting");
                }
                f = new Fixation();
                f.hook = reg.get();
                fixations.put(self, f);
              }
              f.count++;
              fixed = true;
            } else if (f != null && --f.count == 0) {
              fixations.remove(self);
              f.hook.cancel();
              unfixedIfIdle();
            }
            return null;
          } finally {
            admin.unlock();
          }
        });
  }

  private void releaseFixes(Pid pid) {
    admin.lock();
    try {
      if (!deleted && fixations.remove(pid) != null) {
        unfixedIfIdle();
      }
    } finally {
      admin.unlock();
    }
  }

  private void unfixedIfIdle() {
    if (fixations.isEmpty()) {
      fixed = false;
      unfixed();
    }
  }

  /** Called under {@link #admin} when the last fixation is released. */
  void unfixed() {}

  // ------------------------------------------------------------------ access

  /**
   * Read check: everyone but on PRIVATE tables, where only the owner reads; and never a process
   * that has exited (killed while it ran user code): it gets ProcessExitedException from every
   * coppice call, reads included, so that a loop around a read cannot outlive the kill.
   */
  final void checkRead() {
    Processes.ensureAlive();
    if (access == Access.PRIVATE) {
      Pid self = Processes.selfOrNull();
      if (self != owner) {
        if (deleted) {
          throw gone();
        }
        throw denied("read", self);
      }
    }
  }

  /** Write check for PRIVATE and PROTECTED tables; call inside {@link Processes#whileAlive}. */
  final void checkOwnerWrite() {
    if (deleted) {
      throw gone();
    }
    Pid self = Processes.selfOrNull();
    if (self != owner) {
      throw denied("write", self);
    }
  }

  /** Runs a single-key write under the access rule. */
  final <R> R write(Supplier<R> action) {
    if (access == Access.PUBLIC) {
      Processes.ensureAlive();
      return publicWrite(action);
    }
    return Processes.whileAlive(
        () -> {
          checkOwnerWrite();
          return action.get();
        });
  }

  /** Runs a multi-object write under the access rule, isolated from readers. */
  final <R> R writeAll(Supplier<R> action) {
    if (access == Access.PUBLIC) {
      Processes.ensureAlive();
      return publicWriteAll(action);
    }
    return Processes.whileAlive(
        () -> {
          checkOwnerWrite();
          return exclusively(action);
        });
  }

  /**
   * Runs a multi-object write in {@link #lock}'s write mode with {@link #multiWrite} raised, so
   * that no reader sees part of it. Every multi-object write goes through here.
   */
  final <R> R exclusively(Supplier<R> action) {
    long s = lock.writeLock();
    multiWrite = 1;
    try {
      return action.get();
    } finally {
      multiWrite = 0;
      lock.unlockWrite(s);
    }
  }

  /**
   * Runs a single-key write on a PUBLIC table, excluding multi-object writes and, where the
   * subclass needs it, other single-key writers.
   */
  abstract <R> R publicWrite(Supplier<R> action);

  /** Runs a multi-object write on a PUBLIC table: holds {@link #lock}'s write mode. */
  abstract <R> R publicWriteAll(Supplier<R> action);

  final TableAccessException denied(String op, Pid caller) {
    String why =
        switch (access) {
          case PRIVATE -> "only its owner " + owner + " reads or writes a PRIVATE table";
          case PROTECTED ->
              "only its owner "
                  + owner
                  + " writes a PROTECTED table (make it PUBLIC to let "
                  + "every process write)";
          case PUBLIC -> "the owner is " + owner;
        };
    return new TableAccessException(
        op + " denied to " + caller(caller) + " on " + this + ": " + why);
  }

  private static String caller(Pid self) {
    return self == null ? "a thread that is not a process" : String.valueOf(self);
  }

  final NoSuchTableException gone() {
    return new NoSuchTableException(
        this
            + " was deleted (with its owner, or explicitly); a deleted table's handle stays "
            + "invalid: create a new table, or find a named one with Tables.whereis");
  }

  // ------------------------------------------------------------------ store

  /** Drops the data; called once, under {@link #admin}, when the table is deleted. */
  abstract void dropStore();

  /** {@return the number of objects} The table is not deleted. */
  abstract long sizeNow();

  /** Visits objects in table order (reverse order for an ordered_set when asked). */
  @FunctionalInterface
  interface Visitor<K, V> {
    /** {@return false to stop} */
    boolean visit(K key, V value);
  }

  abstract void forEachObject(Visitor<? super K, ? super V> visitor, boolean reverse);

  /** Deletes the object if it still holds {@code value}; {@return how many objects went} */
  abstract long deleteMatched(K key, V value);

  abstract <R> Optional<SelectChunk<R>> selectChunk(
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit);

  // ------------------------------------------------------------------ select family

  public final List<V> select(BiPredicate<? super K, ? super V> where) {
    return select(where, (k, v) -> v);
  }

  public final <R> List<R> select(
      BiPredicate<? super K, ? super V> where, BiFunction<? super K, ? super V, ? extends R> body) {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(body, "body");
    checkRead();
    List<R> out = new ArrayList<>();
    forEachObject(
        (k, v) -> {
          if (where.test(k, v)) {
            out.add(Objects.requireNonNull(body.apply(k, v), "select body returned null"));
          }
          return true;
        },
        false);
    return List.copyOf(out);
  }

  public final <R> Optional<SelectChunk<R>> select(
      BiPredicate<? super K, ? super V> where,
      BiFunction<? super K, ? super V, ? extends R> body,
      int limit) {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(body, "body");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    checkRead();
    return selectChunk(where, body, limit);
  }

  public final long selectCount(BiPredicate<? super K, ? super V> where) {
    Objects.requireNonNull(where, "where");
    checkRead();
    long[] n = {0};
    forEachObject(
        (k, v) -> {
          if (where.test(k, v)) {
            n[0]++;
          }
          return true;
        },
        false);
    return n[0];
  }

  public final long selectDelete(BiPredicate<? super K, ? super V> where) {
    Objects.requireNonNull(where, "where");
    write(() -> null); // access check up front, so a denied call changes nothing
    long[] n = {0};
    forEachObject(
        (k, v) -> {
          if (where.test(k, v)) {
            n[0] += write(() -> deleteMatched(k, v));
          }
          return true;
        },
        false);
    return n[0];
  }

  public final <A> A foldl(A initial, OwnedTable.Folder<A, ? super K, ? super V> folder) {
    return fold(initial, folder, false);
  }

  public final <A> A foldr(A initial, OwnedTable.Folder<A, ? super K, ? super V> folder) {
    return fold(initial, folder, true);
  }

  private <A> A fold(A initial, OwnedTable.Folder<A, ? super K, ? super V> folder, boolean rev) {
    Objects.requireNonNull(folder, "folder");
    checkRead();
    List<A> acc = new ArrayList<>(1);
    acc.add(initial);
    forEachObject(
        (k, v) -> {
          acc.set(0, folder.apply(acc.get(0), k, v));
          return true;
        },
        rev);
    return acc.get(0);
  }

  public final List<Map.Entry<K, V>> toList() {
    checkRead();
    List<Map.Entry<K, V>> out = new ArrayList<>();
    forEachObject(
        (k, v) -> {
          out.add(Map.entry(k, v));
          return true;
        },
        false);
    return List.copyOf(out);
  }

  @Override
  public final String toString() {
    return "table#" + id + " '" + name + "' (" + type.name().toLowerCase(Locale.ROOT) + ")";
  }
}
