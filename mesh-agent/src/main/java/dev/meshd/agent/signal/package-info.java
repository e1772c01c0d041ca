/**
 * The fast load-signal path: every agent streams its runtimes' signals and its GPU readings
 * ({@code meshd.v1.SignalService/WatchSignals}) to the agents with role {@code router}, which
 * hold the latest of each node with its age by their own clock. See docs/routing.md, "Fast
 * signal path".
 *
 * <p>Sender: {@link dev.meshd.agent.signal.SignalPublisher} (fed by the runtime monitor and, via
 * {@link dev.meshd.agent.signal.GpuReadings}, by the GPU refresher) and {@link
 * dev.meshd.agent.signal.SignalGrpcService}. Receiver: {@link
 * dev.meshd.agent.signal.SignalCollector}.
 */
package dev.meshd.agent.signal;
