/**
 * Parsers of sysfs values and of the outputs of {@code nvidia-smi topo -m}, {@code nvidia-smi
 * nvlink -s}, {@code rocm-smi --showtopo} and {@code ibv_devinfo}. Pure functions of text,
 * tested against recorded real outputs; running the tools is the caller's business.
 */
package dev.meshd.fabric.discovery.internal;
