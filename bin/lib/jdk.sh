# shellcheck shell=bash
# Finds a JDK 25+ for luo4j's scripts and exports JAVA_HOME.
# Order: $JAVA_HOME, then the JDKs under /usr/lib/jvm (newest first), then `java` on PATH.
# Sourced by bin/luoctl, bin/test and .ci/run; fails with a clear message when none is found.

luo4j_java_feature() { # prints the feature release (e.g. 25) of the java at $1, or nothing
  local version
  version=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  [ -n "$version" ] && printf '%s\n' "${version%%.*}"
}

luo4j_find_jdk() {
  local candidates=() home feature
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  # newest first: sort the directory names by their embedded version numbers
  while IFS= read -r home; do candidates+=("$home"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    feature=$(luo4j_java_feature "$home/bin/java")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
      export JAVA_HOME="$home"
      return 0
    fi
  done
  {
    echo "luo4j: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/* and java on PATH)."
    echo "luo4j uses the FFM API (java.lang.foreign) at release 25. Install a JDK 25, e.g. Temurin 25,"
    echo "and point JAVA_HOME at it:  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64"
  } >&2
  return 1
}
