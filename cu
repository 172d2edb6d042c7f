#!/usr/bin/env bash
# cu: run sandboxed Lua 5.4 from the command line, e.g. ./cu eval 'return 2+2'.
# Builds java/cli/target/cu-cli.jar (and the native library) with Maven when it is missing or
# older than the sources, then runs it. Honours $JAVA_HOME.
set -euo pipefail

die() {
  echo "cu: $*" >&2
  exit 2
}

# the repository root: this script's directory, following symlinks to the script
src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do
  dir="$(cd -P "$(dirname "$src")" && pwd)"
  src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
root="$(cd -P "$(dirname "$src")" && pwd)"
jar="$root/java/cli/target/cu-cli.jar"

if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
  [ -x "$java" ] || die "JAVA_HOME is set to '$JAVA_HOME' but $java is not executable"
else
  java="$(command -v java || true)"
  [ -n "$java" ] || die "java not found: install a JDK 17+ or set JAVA_HOME"
fi

# true when the jar is missing or any source, native file or pom is newer than it
stale() {
  [ -f "$jar" ] || return 0
  local inputs=() p
  for p in "$root"/java/*/src "$root/native" "$root/CMakeLists.txt" "$root/pom.xml" \
      "$root"/java/*/pom.xml; do  # native/ holds the cu-native module: its target/ is skipped
    [ -e "$p" ] && inputs+=("$p")
  done
  [ ${#inputs[@]} -gt 0 ] || return 1
  [ -n "$(find "${inputs[@]}" -path "$root/native/target" -prune -o -type f -newer "$jar" \
      -print -quit 2>/dev/null)" ]
}

# Reads Maven's output: all of it into $log, one line per module it starts to stderr.
steps() {
  local line re='^\[INFO\] Building (.+) [^ ]+ +\[([0-9]+/[0-9]+)\]$'
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [[ $line =~ $re ]]; then
      echo "cu:   [${BASH_REMATCH[2]}] ${BASH_REMATCH[1]}" >&2
    fi
  done
}

if stale; then
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven 3.8+ to build cu"
  log="$root/java/cli/target/cu-build.log"
  mkdir -p "$(dirname "$log")" && : >"$log"
  echo "cu: building cu-cli.jar and what it needs; Maven's output goes to $log" >&2
  # the CLI and the modules it depends on (the native library among them), not the others;
  # stdout carries only cu's own output
  if ! (cd "$root" && mvn -B -ntp -DskipTests -pl java/cli -am package 2>&1) | steps; then
    die "build failed; Maven's output is in $log"
  fi
  [ -f "$jar" ] || die "build did not produce $jar; Maven's output is in $log"
  echo "cu: built $jar" >&2
fi

# progress bars only when stderr is a terminal, which the JVM cannot tell by itself
terminal=false
[ -t 2 ] && terminal=true
exec "$java" -Xss1m -Dcu.stderr.terminal="$terminal" -jar "$jar" "$@"
