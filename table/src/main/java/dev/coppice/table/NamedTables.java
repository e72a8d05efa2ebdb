// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Node;
import java.util.concurrent.ConcurrentHashMap;

/** The named tables of one node, kept as a {@link Node#resource node resource}. */
final class NamedTables {
  private final ConcurrentHashMap<String, AbstractTable<?, ?>> tables = new ConcurrentHashMap<>();

  static NamedTables of(Node node) {
    return node.resource(NamedTables.class, n -> new NamedTables());
  }

  void register(String name, AbstractTable<?, ?> table) {
    AbstractTable<?, ?> old = tables.putIfAbsent(name, table);
    if (old != null) {
      throw new IllegalArgumentException(
          "a table named '"
              + name
              + "' already exists on this node ("
              + old
              + "): delete it first, or choose another name");
    }
  }

  void unregister(String name, AbstractTable<?, ?> table) {
    tables.remove(name, table);
  }

  AbstractTable<?, ?> get(String name) {
    return tables.get(name);
  }
}
