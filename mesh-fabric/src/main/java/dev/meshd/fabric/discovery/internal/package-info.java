/**
 * Parsers of sysfs values and of the outputs of {@code nvidia-smi topo -m}, {@code nvidia-smi
 * nvlink -s} and {@code rocm-smi --showtopo}. Pure functions of text, tested against recorded
 * real outputs; running the tools is the caller's business.
 */
package dev.meshd.fabric.discovery.internal;
