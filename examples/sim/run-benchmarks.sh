#!/usr/bin/env bash
# Reproduces the simulator figures of docs/benchmarks.md: the small example side by side, and
# the heterogeneous fleet at 50%, 80% and 95% of capacity with Poisson arrivals and with the
# Azure conversation trace replayed, and the fabric example at 50%, 60% and 80%. Results go to
# sim-results/ (JSON, CSV, SVG per run).
# Build first: ./mvnw -q -pl mesh-sim -am package -DskipTests. With --large, also the large
# example (docs/simulation.md, "The large example").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
sim=bin/mesh-sim
$sim run examples/sim/small.yaml --quiet --out sim-results/small
for config in hetero hetero-trace; do
  for load in 0.5 0.8 0.95; do
    echo "== $config at $load of capacity"
    $sim run "examples/sim/$config.yaml" --load "$load" --quiet --out "sim-results/$config-$load"
  done
done
for load in 0.5 0.6 0.8; do
  echo "== fabric at $load of capacity"
  $sim run examples/sim/fabric.yaml --load "$load" --quiet --out "sim-results/fabric-$load"
done
# The large example (131,072 GPU workers, all six strategies, some 10-15 minutes and a 4 GB heap
# on the 2-core build machine): only with --large.
if [ "${1:-}" = --large ]; then
  /usr/bin/time -v $sim run examples/sim/large.yaml --out sim-results/large
fi
