// SPDX-License-Identifier: Apache-2.0
package dev.coppice.sample.databackup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The "expensive call to the database" of the article: the records the app serves live in a
 * relational database, and a cold start loads all of them. Any JDBC URL works; the demo uses an
 * in-memory H2 database by default ({@code jdbc:h2:mem:databackup;DB_CLOSE_DELAY=-1}), and a file
 * ({@code jdbc:h2:./databackup}) or a PostgreSQL server work the same.
 *
 * <p>Every load is counted ({@link #loads()}), so tests can prove that the load happens once.
 */
public final class Database {
  /** The default: an in-memory H2 database that lives as long as the JVM. */
  public static final String DEFAULT_URL = "jdbc:h2:mem:databackup;DB_CLOSE_DELAY=-1";

  /** How many rows a load reports progress after. */
  static final int PROGRESS_EVERY = 100_000;

  private final String url;
  private final AtomicLong loads = new AtomicLong();
  private volatile LongConsumer loadProgress = n -> {};

  /**
   * A database at {@code url}.
   *
   * @param url a JDBC URL whose driver is on the class path
   */
  public Database(String url) {
    this.url = Objects.requireNonNull(url, "url");
  }

  /**
   * Adds a listener that hears the progress of every load, besides the caller's own.
   *
   * @param listener called with the number of rows read so far
   * @return this database
   */
  public Database onLoadProgress(LongConsumer listener) {
    this.loadProgress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** {@return the JDBC URL} */
  public String url() {
    return url;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /**
   * Creates the {@code records} table anew and fills it with {@code count} records whose ids are
   * 1..count.
   *
   * @param count how many records
   * @param progress called with the number of rows written so far, every {@link #PROGRESS_EVERY}
   * @throws SQLException if the database fails
   */
  public void seed(long count, LongConsumer progress) throws SQLException {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS records");
        s.execute("CREATE TABLE records (id BIGINT PRIMARY KEY, data VARCHAR(64) NOT NULL)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO records (id, data) VALUES (?, ?)")) {
        for (long id = 1; id <= count; id++) {
          ps.setLong(1, id);
          ps.setString(2, dataFor(id));
          ps.addBatch();
          if (id % 10_000 == 0) {
            ps.executeBatch();
            c.commit();
          }
          if (id % PROGRESS_EVERY == 0) {
            progress.accept(id);
          }
        }
        ps.executeBatch();
        c.commit();
      }
    }
  }

  /**
   * {@return the data the seed gives record {@code id}} Tests use it to check loaded values.
   *
   * @param id the record id
   */
  public static String dataFor(long id) {
    return "record-" + id;
  }

  /**
   * Receives the rows of a load, one at a time.
   */
  @FunctionalInterface
  public interface RowSink {
    /**
     * Takes one row.
     *
     * @param id the id
     * @param data the data
     */
    void accept(long id, String data);
  }

  /**
   * Reads every record: the expensive call. Counts one load.
   *
   * @param sink receives each row
   * @param progress called with the number of rows read so far, every {@link #PROGRESS_EVERY}
   * @return how many rows were read
   * @throws SQLException if the database fails
   */
  public long loadAll(RowSink sink, LongConsumer progress) throws SQLException {
    loads.incrementAndGet();
    long n = 0;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery("SELECT id, data FROM records")) {
        while (rs.next()) {
          sink.accept(rs.getLong(1), rs.getString(2));
          if (++n % PROGRESS_EVERY == 0) {
            progress.accept(n);
            loadProgress.accept(n);
          }
        }
      }
    }
    return n;
  }

  /** {@return how many full loads this instance has run} */
  public long loads() {
    return loads.get();
  }
}
