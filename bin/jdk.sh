# Sourced by bin/sessiond, bin/benchmark, bin/test and .ci/run: exports JAVA_HOME pointing at a JDK >= 21,
# and names the JVM flags the server runs with.
# Keeps JAVA_HOME when it already is one; otherwise takes the newest JDK >= 21 found under
# /usr/lib/jvm (Temurin 25 on the reference machine).

sessiond_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

sessiond_pick_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(sessiond_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(sessiond_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "sessiond: no JDK >= 21 found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# The server's JVM flags unless SESSIOND_JAVA_OPTS says otherwise (README "Production"): a heap
# of at most 320 MiB keeps the process under 512 MiB resident (the JVM's default would grow the
# heap to a quarter of the machine's memory). Native Memory Tracking of a benchmark server put
# ~180 MiB beside the heap (G1's own structures 44, metaspace 38, code 37, class data 14,
# threads 10, buffers 11); with 384 MiB of heap, one run at 1,000,000 stored sessions was 522 MiB
# resident. Live data after a collection was ~126 MiB there. Running out of memory ends the
# process, so that its supervisor restarts it rather than it limping on.
SESSIOND_DEFAULT_JAVA_OPTS="-Xms64m -Xmx320m -XX:+ExitOnOutOfMemoryError"
