/*
 * A fake libnvidia-ml.so for NvmlGpuProbeTest: the NVML functions meshd binds, with the real
 * signatures from nvml.h, reporting two GPUs. Compiled by the test with gcc, so that the real
 * FFM binding code runs on machines without an NVIDIA driver.
 *
 * Variants (set with -D when compiling):
 *   FAKE_INIT_RESULT=n  nvmlInit_v2 returns n (9 = NVML_ERROR_DRIVER_NOT_LOADED)
 *   FAKE_LOST_GPU       GPU 1 answers NVML_ERROR_GPU_IS_LOST (15) to nvmlDeviceGetUUID
 *   FAKE_HANG_SECONDS=n nvmlInit_v2 blocks n seconds, as a hung driver does
 *   FAKE_TOPOLOGY       four GPUs and the topology functions (NVLink state and remote PCI info,
 *                       P2P status, common ancestor, field values), for NvmlTopologyProbeTest:
 *                         GPU0 (07:00) =NV2= GPU1 (0f:00), GPU2 (47:00) =NV4= GPU3 (4e:00);
 *                         GPU0-GPU2 PXB, GPU1-GPU3 PHB, GPU0-GPU3 and GPU1-GPU2 SYS (no P2P);
 *                         every GPU has two inactive links after its active ones
 *   FAKE_NVSWITCH       with FAKE_TOPOLOGY: each GPU's six links all go to one NVSwitch
 *   FAKE_LOST_NVLINK    with FAKE_TOPOLOGY: GPU 3 answers GPU_IS_LOST to nvmlDeviceGetNvLinkState
 * Without FAKE_TOPOLOGY the topology functions are absent, as in a driver too old for them.
 */
#include <stdio.h>
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

#ifdef FAKE_TOPOLOGY
#define DEVICE_COUNT 4
#else
#define DEVICE_COUNT 2
#endif

static struct nvmlDevice_st devices[DEVICE_COUNT] = {
  {"NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555550",
   85520809984ULL /* 81559 MiB */, 1073741824ULL /* 1 GiB */, 42},
  {"NVIDIA A100-SXM4-40GB", "GPU-11111111-2222-3333-4444-555555555551",
   42949672960ULL /* 40 GiB */, 0ULL, -1},
#ifdef FAKE_TOPOLOGY
  {"NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555552",
   85520809984ULL, 0ULL, 0},
  {"NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555553",
   85520809984ULL, 0ULL, 0},
#endif
};

static int active = 0;          /* nvmlInit_v2 is reference counted, like the real one */
static int init_calls = 0;
static int shutdown_calls = 0;

/* Test hooks: not part of NVML. */
int fake_nvml_active(void) { return active; }
int fake_nvml_init_calls(void) { return init_calls; }
int fake_nvml_shutdown_calls(void) { return shutdown_calls; }

static int index_of(nvmlDevice_t device) {
  for (int i = 0; i < DEVICE_COUNT; i++) {
    if (device == &devices[i]) return i;
  }
  return -1;
}

static int valid(nvmlDevice_t device) {
  return active > 0 && index_of(device) >= 0;
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
  *deviceCount = DEVICE_COUNT;
  return 0;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (active == 0) return 1;
  if (index >= DEVICE_COUNT || device == NULL) return 2;
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

#ifdef FAKE_TOPOLOGY
typedef struct {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

typedef union { double dVal; unsigned int uiVal; unsigned long long ullVal; } nvmlValue_t;

typedef struct {
  unsigned int fieldId, scopeId;
  long long timestamp, latencyUsec;
  int valueType; /* nvmlValueType_t */
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
} nvmlFieldValue_t;

#define INACTIVE (-1)
#define TO_SWITCH (-2)
#define SWITCH_BUS 0xc5
#define MAX_LINKS 8

static const unsigned int bus_of[DEVICE_COUNT] = {0x07, 0x0f, 0x47, 0x4e};

#ifdef FAKE_NVSWITCH
static const int link_count[DEVICE_COUNT] = {6, 6, 6, 6};
static const int links[DEVICE_COUNT][MAX_LINKS] = {
  {TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH},
  {TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH},
  {TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH},
  {TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH, TO_SWITCH},
};
#else
/* Which GPU each link reaches; the link numbers past link_count answer INVALID_ARGUMENT. */
static const int link_count[DEVICE_COUNT] = {4, 4, 6, 6};
static const int links[DEVICE_COUNT][MAX_LINKS] = {
  {1, 1, INACTIVE, INACTIVE},
  {0, 0, INACTIVE, INACTIVE},
  {3, 3, 3, 3, INACTIVE, INACTIVE},
  {2, 2, 2, 2, INACTIVE, INACTIVE},
};
#endif

/* nvmlGpuTopologyLevel_t: 10 single switch, 20 multiple, 30 host bridge, 50 system. */
static const int ancestor[DEVICE_COUNT][DEVICE_COUNT] = {
  {0, 10, 20, 50},
  {10, 0, 50, 30},
  {20, 50, 0, 10},
  {50, 30, 10, 0},
};

/* NVLink speed in MB/s, as NVML_FI_DEV_NVLINK_SPEED_MBPS_COMMON reports it. */
static const unsigned int speed_mbps[DEVICE_COUNT] = {25781, 25781, 50000, 50000};

static void fill_pci(nvmlPciInfo_t *pci, unsigned int bus) {
  memset(pci, 0, sizeof(*pci));
  pci->domain = 0;
  pci->bus = bus;
  pci->device = 0;
  pci->pciDeviceId = 0x233010de;
  snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "0000:%02X:00.0", bus);
  snprintf(pci->busId, sizeof(pci->busId), "00000000:%02X:00.0", bus);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
  if (!valid(device) || pci == NULL) return 2;
  fill_pci(pci, bus_of[index_of(device)]);
  return 0;
}

static nvmlReturn_t check_link(nvmlDevice_t device, unsigned int link) {
  if (!valid(device)) return 2;
#ifdef FAKE_LOST_NVLINK
  if (index_of(device) == 3) return 15; /* NVML_ERROR_GPU_IS_LOST */
#endif
  if (link >= (unsigned int) link_count[index_of(device)]) return 2;
  return 0;
}

nvmlReturn_t nvmlDeviceGetNvLinkState(nvmlDevice_t device, unsigned int link, int *isActive) {
  nvmlReturn_t r = check_link(device, link);
  if (r != 0) return r;
  if (isActive == NULL) return 2;
  *isActive = links[index_of(device)][link] != INACTIVE; /* NVML_FEATURE_ENABLED = 1 */
  return 0;
}

nvmlReturn_t nvmlDeviceGetNvLinkRemotePciInfo_v2(nvmlDevice_t device, unsigned int link,
                                                 nvmlPciInfo_t *pci) {
  nvmlReturn_t r = check_link(device, link);
  if (r != 0) return r;
  if (pci == NULL) return 2;
  int peer = links[index_of(device)][link];
  if (peer == INACTIVE) return 3;
  fill_pci(pci, peer == TO_SWITCH ? SWITCH_BUS : bus_of[peer]);
  return 0;
}

static int direct_links(int a, int b) {
  int n = 0;
  for (int k = 0; k < link_count[a]; k++) {
    if (links[a][k] == b) n++;
  }
  return n;
}

static int switch_links(int a) {
  int n = 0;
  for (int k = 0; k < link_count[a]; k++) {
    if (links[a][k] == TO_SWITCH) n++;
  }
  return n;
}

nvmlReturn_t nvmlDeviceGetP2PStatus(nvmlDevice_t device1, nvmlDevice_t device2, int p2pIndex,
                                    int *p2pStatus) {
  if (!valid(device1) || !valid(device2) || p2pStatus == NULL) return 2;
  int a = index_of(device1), b = index_of(device2);
  int nvlink = direct_links(a, b) > 0 || (switch_links(a) > 0 && switch_links(b) > 0);
  switch (p2pIndex) {
    case 0: /* NVML_P2P_CAPS_INDEX_READ: over NVLink, or over PCIe but not across the sockets */
      *p2pStatus = nvlink || ancestor[a][b] != 50 ? 0 : 3 /* IOH_TOPOLOGY_NOT_SUPPORTED */;
      return 0;
    case 2: /* NVML_P2P_CAPS_INDEX_NVLINK */
      *p2pStatus = nvlink ? 0 : 5 /* NVML_P2P_STATUS_NOT_SUPPORTED */;
      return 0;
    default:
      return 2;
  }
}

nvmlReturn_t nvmlDeviceGetTopologyCommonAncestor(nvmlDevice_t device1, nvmlDevice_t device2,
                                                 int *pathInfo) {
  if (!valid(device1) || !valid(device2) || pathInfo == NULL) return 2;
  *pathInfo = ancestor[index_of(device1)][index_of(device2)];
  return 0;
}

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount,
                                      nvmlFieldValue_t *values) {
  if (!valid(device) || values == NULL) return 2;
  for (int i = 0; i < valuesCount; i++) {
    if (values[i].fieldId == 90) { /* NVML_FI_DEV_NVLINK_SPEED_MBPS_COMMON */
      values[i].valueType = 1;     /* NVML_VALUE_TYPE_UNSIGNED_INT */
      values[i].value.ullVal = 0;
      values[i].value.uiVal = speed_mbps[index_of(device)];
      values[i].nvmlReturn = 0;
    } else {
      values[i].nvmlReturn = 3;
    }
  }
  return 0;
}
#endif
