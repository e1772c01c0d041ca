#!/usr/bin/env bash
# Runs the example mesh: three mesh-agent processes on loopback (examples/node{1,2,3}.yaml),
# simulated GPUs, one shared demo cluster key, and beside each agent a fake vLLM-compatible
# runtime (bin/fake-runtime on 127.0.0.1:8001..8003, test and demo only) that it scrapes.
#
#   examples/run-local-mesh.sh            build if needed, start, show the mesh, stay in the
#                                         foreground; Ctrl-C or SIGTERM stops everything
#   examples/run-local-mesh.sh --detach   start and return; agents and runtimes keep running
#   examples/run-local-mesh.sh stop       stop what --detach started
#
# Logs and pid files go to examples/.run/. Override the JDK with JAVA_HOME.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
run_dir="$here/.run"
nodes=(node1 node2 node3)
# One fake runtime per node: name, port, decode rate. The rates differ so that the nodes'
# queues, and so the router's choices, differ under the same load.
runtimes=("rt-node1 8001 50" "rt-node2 8002 40" "rt-node3 8003 30")
# shellcheck source=../bin/meshd-java
source "$root/bin/meshd-java"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

stop_agents() {
  local pid_file pid name deadline
  [ -d "$run_dir" ] || return 0
  for pid_file in "$run_dir"/*.pid; do
    [ -e "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || true
  done
  # Up to 40 s: a router agent lets open streams finish for up to router.drain-timeout (30 s).
  deadline=$((SECONDS + 40))
  for pid_file in "$run_dir"/*.pid; do
    [ -e "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    name=$(basename "$pid_file" .pid)
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) did not stop within 40 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
    echo "stopped $name"
  done
}

build_if_needed() {
  local jar
  jar=$(ls "$root"/mesh-agent/target/mesh-agent-*.jar 2>/dev/null | head -n 1 || true)
  if [ -n "$jar" ] && [ -d "$root/mesh-cli/target/lib" ] \
      && [ -d "$root/examples/fake-runtime/target/lib" ] \
      && [ -z "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit)" ] \
      && [ -z "$(find "$root" -name pom.xml -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "building meshd (first run or sources changed)..."
  (cd "$root" && JAVA_HOME="$(dirname "$(dirname "$MESHD_JAVA")")" ./mvnw -q -B -DskipTests package)
}

start_runtimes() {
  local spec name port rate pid deadline
  mkdir -p "$run_dir"
  for spec in "${runtimes[@]}"; do
    read -r name port rate <<<"$spec"
    if [ -e "$run_dir/$name.pid" ] && kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null; then
      echo "$name is already running (pid $(cat "$run_dir/$name.pid")); run '$0 stop' first" >&2
      exit 1
    fi
  done
  for spec in "${runtimes[@]}"; do
    read -r name port rate <<<"$spec"
    "$root/bin/fake-runtime" --listen "127.0.0.1:$port" --id "$name" \
      --tokens-per-second "$rate" >"$run_dir/$name.log" 2>&1 &
    pid=$!
    echo "$pid" >"$run_dir/$name.pid"
    echo "started $name (pid $pid, http://127.0.0.1:$port, log examples/.run/$name.log)"
  done
  # The agents ask each runtime's /v1/models on start: wait until all three listen.
  deadline=$((SECONDS + 30))
  for spec in "${runtimes[@]}"; do
    read -r name port rate <<<"$spec"
    until grep -q '^fake-runtime listening on' "$run_dir/$name.log" 2>/dev/null; do
      if ! kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "$name did not start; last lines of its log:" >&2
        tail -n 20 "$run_dir/$name.log" >&2
        stop_agents
        exit 1
      fi
      sleep 0.2
    done
  done
}

start_agents() {
  local node pid
  mkdir -p "$run_dir"
  for node in "${nodes[@]}"; do
    if [ -e "$run_dir/$node.pid" ] && kill -0 "$(cat "$run_dir/$node.pid")" 2>/dev/null; then
      echo "$node is already running (pid $(cat "$run_dir/$node.pid")); run '$0 stop' first" >&2
      exit 1
    fi
  done
  for node in "${nodes[@]}"; do
    "$root/bin/mesh-agent" start --config "$here/$node.yaml" >"$run_dir/$node.log" 2>&1 &
    pid=$!
    echo "$pid" >"$run_dir/$node.pid"
    echo "started $node (pid $pid, log examples/.run/$node.log)"
  done
}

wait_for_mesh() {
  local deadline=$((SECONDS + 90)) alive node
  while [ $SECONDS -lt $deadline ]; do
    for node in "${nodes[@]}"; do
      if ! kill -0 "$(cat "$run_dir/$node.pid")" 2>/dev/null; then
        echo "$node exited; last lines of its log:" >&2
        tail -n 20 "$run_dir/$node.log" >&2
        stop_agents
        exit 1
      fi
    done
    alive=$("$root/bin/mesh-cli" --server 127.0.0.1:7070 list-nodes -o json 2>/dev/null \
      | grep -o '"NODE_STATE_ALIVE"' | wc -l || true)
    if [ "$alive" -eq ${#nodes[@]} ]; then
      return 0
    fi
    sleep 0.5
  done
  echo "the mesh did not show ${#nodes[@]} ALIVE nodes within 90 s; logs in examples/.run/" >&2
  stop_agents
  exit 1
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  stop) stop_agents; exit 0 ;;
  ""|--detach) ;;
  *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

meshd_find_java || exit 2
build_if_needed
start_runtimes
# Sends a few real requests through node1's router ingress and shows where each went, then the
# router's explanation: the demo of the README's run command.
demo_requests() {
  local model="meta-llama/Llama-3.1-8B-Instruct" deadline i
  local pids=()
  if ! command -v curl >/dev/null 2>&1; then
    echo "(curl not found: skipping the request demo)"
    return 0
  fi
  deadline=$((SECONDS + 60))
  until "$root/bin/mesh-cli" --server 127.0.0.1:7070 route --model "$model" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "the router found no target for $model within 60 s; see examples/.run/" >&2
      return 0
    fi
    sleep 1
  done
  echo
  echo "Six concurrent streaming requests through node1's router (127.0.0.1:8080):"
  for i in 1 2 3 4 5 6; do
    curl -sN -o /dev/null -D - --max-time 30 127.0.0.1:8080/v1/chat/completions \
      -H 'content-type: application/json' \
      -d "{\"model\":\"$model\",\"stream\":true,\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hello $i\"}]}" \
      | tr -d '\r' | awk -v n="$i" 'tolower($1)=="x-meshd-target:"{t=$2} tolower($1)=="x-meshd-runtime:"{r=$2} END{printf "  request %s -> %s (%s)\n", n, t, r}' &
    pids+=($!)
    sleep 0.2
  done
  wait "${pids[@]}"  # only the requests: the agents are background jobs of this shell too
  echo
  "$root/bin/mesh-cli" --server 127.0.0.1:7070 route --model "$model" || true
}

start_agents
if [ "${1:-}" != "--detach" ]; then
  trap 'echo; stop_agents; exit 0' INT TERM
fi
wait_for_mesh
"$root/bin/mesh-cli" --server 127.0.0.1:7070 list-nodes
demo_requests
cat <<MSG

The mesh is up. Try:
  bin/mesh-cli list-nodes --watch        (Ctrl-C to end)
  bin/mesh-cli describe-node node2
  bin/mesh-cli stats
  bin/mesh-cli policy put -f examples/policies/llama-hybrid.yaml
  bin/mesh-cli --server 127.0.0.1:7080 policy list
  bin/mesh-cli raft status
  curl -s 127.0.0.1:9464/metrics | grep meshd_

Requests go through any agent's router ingress (node1: 127.0.0.1:8080, OpenAI-compatible):
  curl -N 127.0.0.1:8080/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"meta-llama/Llama-3.1-8B-Instruct","stream":true,"max_tokens":20,
         "messages":[{"role":"user","content":"hello"}]}'
  bin/mesh-cli route --model meta-llama/Llama-3.1-8B-Instruct     (why that target)
  curl -s 127.0.0.1:9464/metrics | grep meshd_router_
MSG
if [ "${1:-}" = "--detach" ]; then
  echo "  examples/run-local-mesh.sh stop      (stops the three agents and runtimes)"
  exit 0
fi
echo "Press Ctrl-C to stop the three agents and their runtimes."
while true; do
  for node in "${nodes[@]}" rt-node1 rt-node2 rt-node3; do
    if ! kill -0 "$(cat "$run_dir/$node.pid")" 2>/dev/null; then
      echo "$node exited (see examples/.run/$node.log); stopping the others" >&2
      stop_agents
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
