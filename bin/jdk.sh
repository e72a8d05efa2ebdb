# Sourced by the scripts in bin/: finds a JDK 21 or newer and Maven, and exports JAVA_HOME.
# JAVA_HOME wins when it is 21+; otherwise the newest JDK under /usr/lib/jvm (or $COPPICE_JVM_DIR).

coppice_java_major() { # JAVA_HOME-like dir -> major version, or nothing
  local dir=$1 v=""
  [ -x "$dir/bin/java" ] || return 0
  if [ -f "$dir/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$dir/release")
  fi
  if [ -z "$v" ]; then
    v=$("$dir/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  v=${v#1.}
  printf '%s\n' "${v%%[.+-]*}"
}

coppice_find_jdk() {
  local best="" best_major=0 dir major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(coppice_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      printf '%s\n' "$JAVA_HOME"
      return 0
    fi
  fi
  for dir in "${COPPICE_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$dir" ] && [ ! -L "$dir" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(coppice_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$dir
      best_major=$major
    fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

coppice_setup() {
  local jdk major
  jdk=$(coppice_find_jdk) || true
  if [ -z "$jdk" ]; then
    cat >&2 <<'MSG'
coppice needs a JDK 21 or newer (we build and test with 25), and found none:
JAVA_HOME is unset or older than 21, and /usr/lib/jvm holds no JDK 21+.
Install one, for example:   apt-get install openjdk-21-jdk   (or Temurin 25 from adoptium.net)
or point JAVA_HOME at it:   export JAVA_HOME=/path/to/jdk-25
MSG
    return 1
  fi
  export JAVA_HOME=$jdk
  export PATH="$JAVA_HOME/bin:$PATH"
  if ! command -v mvn >/dev/null 2>&1; then
    echo "coppice builds with Apache Maven 3.8 or newer, and 'mvn' is not on the PATH: apt-get install maven" >&2
    return 1
  fi
  major=$(coppice_java_major "$JAVA_HOME")
  # Maven 3.8's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every run.
  if [ "$major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
