/**
 * Load signals: fast-changing facts about a node's runtimes (queue depth, running requests,
 * KV-cache use) and GPUs (memory used, utilization) that travel on their own path to the
 * routers, apart from the slow capability record. Each carries the time it was observed;
 * receivers judge age by their own clock.
 */
package dev.meshd.core.signal;
