// SPDX-License-Identifier: Apache-2.0
package dev.coppice.table;

import dev.coppice.core.Pid;
import java.util.Objects;

/** The settings gathered by a table builder; each may be set once. */
final class TableSpec {
  private TableType type;
  private Access access;
  private Pid heir;
  private Object heirData;
  private TableName<?, ?> name;
  boolean readConcurrency;
  boolean writeConcurrency;

  void setType(TableType type) {
    Objects.requireNonNull(type, "type");
    if (this.type != null) {
      throw new IllegalStateException("the table type was already set to " + this.type);
    }
    this.type = type;
  }

  void setAccess(Access access) {
    Objects.requireNonNull(access, "access");
    if (this.access != null) {
      throw new IllegalStateException("the access was already set to " + this.access);
    }
    this.access = access;
  }

  void setHeir(Pid heir, Object data) {
    Objects.requireNonNull(heir, "heir");
    Objects.requireNonNull(data, "data");
    if (this.heir != null) {
      throw new IllegalStateException("the heir was already set to " + this.heir);
    }
    this.heir = heir;
    this.heirData = data;
  }

  void setName(TableName<?, ?> name) {
    Objects.requireNonNull(name, "name");
    if (this.name != null) {
      throw new IllegalStateException("the name was already set to '" + this.name + "'");
    }
    this.name = name;
  }

  TableType typeOrNull() {
    return type;
  }

  TableType type() {
    return type == null ? TableType.SET : type;
  }

  Access access() {
    return access == null ? Access.PROTECTED : access;
  }

  Pid heir() {
    return heir;
  }

  Object heirData() {
    return heirData;
  }

  /** {@return the registered name, or null for an unnamed table} */
  TableName<?, ?> name() {
    return name;
  }
}
