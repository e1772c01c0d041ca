/*
 * A fake libnvidia-ml.so for NvmlGpuProbeTest: the NVML functions meshd binds, with the real
 * signatures from nvml.h, reporting two GPUs. Compiled by the test with gcc, so that the real
 * FFM binding code runs on machines without an NVIDIA driver.
 *
 * Variants (set with -D when compiling):
 *   FAKE_INIT_RESULT=n  nvmlInit_v2 returns n (9 = NVML_ERROR_DRIVER_NOT_LOADED)
 *   FAKE_LOST_GPU       GPU 1 answers NVML_ERROR_GPU_IS_LOST (15) to nvmlDeviceGetUUID
 *   FAKE_HANG_SECONDS=n nvmlInit_v2 blocks n seconds, as a hung driver does
 */
#include <string.h>
#include <unistd.h>

#ifndef FAKE_INIT_RESULT
#define FAKE_INIT_RESULT 0
#endif

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;

struct nvmlDevice_st {
  const char *name;
  const char *uuid;
  unsigned long long total;
  unsigned long long used;
  int utilization; /* -1: NVML_ERROR_NOT_SUPPORTED, as on MIG-enabled GPUs */
};

static struct nvmlDevice_st devices[2] = {
  {"NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555550",
   85520809984ULL /* 81559 MiB */, 1073741824ULL /* 1 GiB */, 42},
  {"NVIDIA A100-SXM4-40GB", "GPU-11111111-2222-3333-4444-555555555551",
   42949672960ULL /* 40 GiB */, 0ULL, -1},
};

static int active = 0;          /* nvmlInit_v2 is reference counted, like the real one */
static int init_calls = 0;
static int shutdown_calls = 0;

/* Test hooks: not part of NVML. */
int fake_nvml_active(void) { return active; }
int fake_nvml_init_calls(void) { return init_calls; }
int fake_nvml_shutdown_calls(void) { return shutdown_calls; }

static int valid(nvmlDevice_t device) {
  return active > 0 && (device == &devices[0] || device == &devices[1]);
}

nvmlReturn_t nvmlInit_v2(void) {
#ifdef FAKE_HANG_SECONDS
  sleep(FAKE_HANG_SECONDS);
#endif
  init_calls++;
  if (FAKE_INIT_RESULT != 0) {
    return FAKE_INIT_RESULT;
  }
  active++;
  return 0;
}

nvmlReturn_t nvmlShutdown(void) {
  shutdown_calls++;
  if (active == 0) {
    return 1; /* NVML_ERROR_UNINITIALIZED */
  }
  active--;
  return 0;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
  if (active == 0) return 1;
  if (deviceCount == NULL) return 2;
  *deviceCount = 2;
  return 0;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (active == 0) return 1;
  if (index >= 2 || device == NULL) return 2;
  *device = &devices[index];
  return 0;
}

static nvmlReturn_t copy(const char *text, char *out, unsigned int length) {
  if (out == NULL) return 2;
  if (strlen(text) + 1 > length) return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
  strcpy(out, text);
  return 0;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  if (!valid(device)) return 2;
  return copy(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  if (!valid(device)) return 2;
#ifdef FAKE_LOST_GPU
  if (device == &devices[1]) return 15; /* NVML_ERROR_GPU_IS_LOST */
#endif
  return copy(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  if (!valid(device) || memory == NULL) return 2;
  memory->total = device->total;
  memory->used = device->used;
  memory->free = device->total - device->used;
  return 0;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
  if (!valid(device) || utilization == NULL) return 2;
  if (device->utilization < 0) return 3; /* NVML_ERROR_NOT_SUPPORTED */
  utilization->gpu = (unsigned int) device->utilization;
  utilization->memory = 10;
  return 0;
}
