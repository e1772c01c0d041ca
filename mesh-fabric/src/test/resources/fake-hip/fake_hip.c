/*
 * A fake libamdhip64.so for XgmiProbeTest: the HIP runtime functions the XGMI probe binds, with
 * the signatures of hip_runtime_api.h (64-bit Linux), over "GPUs" whose memory is host memory.
 * Compiled by the test with gcc, so that the real FFM binding and probe code run on machines
 * without an AMD GPU.
 *
 * Configured by the test through exported setters (not part of HIP), before or between probes:
 *   fake_hip_set_device_count(n)         GPUs the runtime sees (default 2, at most 8; 0 makes
 *                                        hipGetDeviceCount answer hipErrorNoDevice)
 *   fake_hip_set_init_result(r)          hipInit returns r (35 = hipErrorInsufficientDriver)
 *   fake_hip_set_init_delay_ms(ms)       hipInit sleeps first, as a hung kernel driver
 *   fake_hip_set_peer_access(a, b, ok)   whether ordinal a can access ordinal b (default: all)
 *   fake_hip_set_refuse_enable(a, b)     hipDeviceEnablePeerAccess from a to b fails with
 *                                        hipErrorPeerAccessUnsupported although
 *                                        hipDeviceCanAccessPeer says yes
 *   fake_hip_set_link_type(a, b, type)   hipExtGetLinkTypeAndHopCount's answer for the pair, both
 *                                        ways (default 4 = HSA_AMD_LINK_INFO_TYPE_XGMI)
 *   fake_hip_set_pci_bus(ordinal, bus)   the GPU's PCI bus (default 0x10 * (ordinal + 1))
 *   fake_hip_set_corrupt(on)             every peer copy of more than 64 bytes flips one byte
 *   fake_hip_set_copy_delay_ms(ms)       every peer copy sleeps first, as a slow or hung link
 * and read back through counters: live allocations, peer access left enabled, peer copies,
 * peer copies made without peer access enabled, the source ordinal of the last peer copy.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int hipError_t;
typedef int hipMemcpyKind; /* a C enum in hip_runtime_api.h */

#define MAX_DEVICES 8
#define MAX_ALLOCATIONS 64

enum {
  hipSuccess = 0,
  hipErrorInvalidValue = 1,
  hipErrorOutOfMemory = 2,
  hipErrorInsufficientDriver = 35,
  hipErrorNoDevice = 100,
  hipErrorInvalidDevice = 101,
  hipErrorPeerAccessUnsupported = 217,
  hipErrorPeerAccessAlreadyEnabled = 704,
  hipErrorPeerAccessNotEnabled = 705,
};

enum { hipMemcpyHostToDevice = 1, hipMemcpyDeviceToHost = 2 };

struct allocation {
  char *memory;
  size_t size;
  int device;
};

static struct allocation allocations[MAX_ALLOCATIONS];
/* peer_enabled[a][b]: device a maps device b's memory. */
static int peer_enabled[MAX_DEVICES][MAX_DEVICES];
static __thread int current = 0;

static int device_count = 2;
static int init_result = hipSuccess;
static int init_delay_ms = 0;
static int peer_denied[MAX_DEVICES][MAX_DEVICES];
static int enable_refused[MAX_DEVICES][MAX_DEVICES];
static int link_type_set[MAX_DEVICES][MAX_DEVICES];
static int link_type[MAX_DEVICES][MAX_DEVICES];
static int pci_bus[MAX_DEVICES];
static int pci_bus_set[MAX_DEVICES];
static int corrupt = 0;
static int copy_delay_ms = 0;

static int peer_copies = 0;
static int unpeered_copies = 0;
static int last_peer_source = -1;

/* Test hooks: not part of HIP. */
void fake_hip_set_device_count(int n) { device_count = n < MAX_DEVICES ? n : MAX_DEVICES; }
void fake_hip_set_init_result(int r) { init_result = r; }
void fake_hip_set_init_delay_ms(int ms) { init_delay_ms = ms; }
void fake_hip_set_peer_access(int a, int b, int ok) { peer_denied[a][b] = !ok; }
void fake_hip_set_refuse_enable(int a, int b) { enable_refused[a][b] = 1; }
void fake_hip_set_link_type(int a, int b, int type) {
  link_type[a][b] = link_type[b][a] = type;
  link_type_set[a][b] = link_type_set[b][a] = 1;
}
void fake_hip_set_pci_bus(int ordinal, int bus) {
  pci_bus[ordinal] = bus;
  pci_bus_set[ordinal] = 1;
}
void fake_hip_set_corrupt(int on) { corrupt = on; }
void fake_hip_set_copy_delay_ms(int ms) { copy_delay_ms = ms; }

int fake_hip_live_allocations(void) {
  int n = 0;
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    if (allocations[i].memory != NULL) n++;
  }
  return n;
}
int fake_hip_enabled_peer_links(void) {
  int n = 0;
  for (int a = 0; a < MAX_DEVICES; a++) {
    for (int b = 0; b < MAX_DEVICES; b++) n += peer_enabled[a][b];
  }
  return n;
}
int fake_hip_peer_copies(void) { return peer_copies; }
int fake_hip_unpeered_copies(void) { return unpeered_copies; }
int fake_hip_last_peer_source(void) { return last_peer_source; }

static int valid_device(int d) { return d >= 0 && d < device_count; }

/* The allocation holding [ptr, ptr + n), or NULL. */
static struct allocation *find(const void *ptr, size_t n) {
  uintptr_t p = (uintptr_t) ptr;
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    struct allocation *a = &allocations[i];
    uintptr_t base = (uintptr_t) a->memory;
    if (a->memory != NULL && p >= base && p + n <= base + a->size) return a;
  }
  return NULL;
}

const char *hipGetErrorString(hipError_t error) {
  switch (error) {
    case hipSuccess: return "no error";
    case hipErrorInvalidValue: return "invalid argument";
    case hipErrorOutOfMemory: return "out of memory";
    case hipErrorInsufficientDriver: return "driver version is insufficient for runtime version";
    case hipErrorNoDevice: return "no ROCm-capable device is detected";
    case hipErrorInvalidDevice: return "invalid device ordinal";
    case hipErrorPeerAccessUnsupported:
      return "peer access is not supported between these two devices";
    case hipErrorPeerAccessAlreadyEnabled: return "peer access is already enabled";
    case hipErrorPeerAccessNotEnabled: return "peer access has not been enabled";
    default: return "unknown error";
  }
}

hipError_t hipInit(unsigned int flags) {
  if (init_delay_ms > 0) usleep(init_delay_ms * 1000);
  if (flags != 0) return hipErrorInvalidValue;
  return init_result;
}

hipError_t hipGetDeviceCount(int *count) {
  if (count == NULL) return hipErrorInvalidValue;
  if (init_result != hipSuccess) return init_result;
  *count = device_count;
  return device_count == 0 ? hipErrorNoDevice : hipSuccess;
}

hipError_t hipDeviceGetPCIBusId(char *pciBusId, int len, int device) {
  if (pciBusId == NULL || len <= 0) return hipErrorInvalidValue;
  if (!valid_device(device)) return hipErrorInvalidDevice;
  int bus = pci_bus_set[device] ? pci_bus[device] : 0x10 * (device + 1);
  snprintf(pciBusId, (size_t) len, "%04x:%02x:%02x.%x", 0, bus, 0, 0);
  return hipSuccess;
}

hipError_t hipDeviceCanAccessPeer(int *canAccessPeer, int deviceId, int peerDeviceId) {
  if (canAccessPeer == NULL) return hipErrorInvalidValue;
  if (!valid_device(deviceId) || !valid_device(peerDeviceId)) return hipErrorInvalidDevice;
  *canAccessPeer = deviceId != peerDeviceId && !peer_denied[deviceId][peerDeviceId];
  return hipSuccess;
}

hipError_t hipExtGetLinkTypeAndHopCount(int device1, int device2, uint32_t *linktype,
                                        uint32_t *hopcount) {
  if (linktype == NULL || hopcount == NULL) return hipErrorInvalidValue;
  if (!valid_device(device1) || !valid_device(device2) || device1 == device2) {
    return hipErrorInvalidDevice;
  }
  *linktype = link_type_set[device1][device2] ? (uint32_t) link_type[device1][device2] : 4;
  *hopcount = 1;
  return hipSuccess;
}

hipError_t hipSetDevice(int deviceId) {
  if (!valid_device(deviceId)) return hipErrorInvalidDevice;
  current = deviceId;
  return hipSuccess;
}

hipError_t hipDeviceEnablePeerAccess(int peerDeviceId, unsigned int flags) {
  if (flags != 0) return hipErrorInvalidValue;
  if (!valid_device(peerDeviceId) || peerDeviceId == current) return hipErrorInvalidDevice;
  if (peer_denied[current][peerDeviceId] || enable_refused[current][peerDeviceId]) {
    return hipErrorPeerAccessUnsupported;
  }
  if (peer_enabled[current][peerDeviceId]) return hipErrorPeerAccessAlreadyEnabled;
  peer_enabled[current][peerDeviceId] = 1;
  return hipSuccess;
}

hipError_t hipDeviceDisablePeerAccess(int peerDeviceId) {
  if (!valid_device(peerDeviceId)) return hipErrorInvalidDevice;
  if (!peer_enabled[current][peerDeviceId]) return hipErrorPeerAccessNotEnabled;
  peer_enabled[current][peerDeviceId] = 0;
  return hipSuccess;
}

hipError_t hipDeviceSynchronize(void) { return hipSuccess; }

hipError_t hipMalloc(void **ptr, size_t size) {
  if (ptr == NULL) return hipErrorInvalidValue;
  if (size == 0) {
    *ptr = NULL;
    return hipSuccess;
  }
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    if (allocations[i].memory == NULL) {
      /* Garbage, not zeros: like device memory, it holds whatever was there. */
      allocations[i].memory = malloc(size);
      memset(allocations[i].memory, 0xa5, size);
      allocations[i].size = size;
      allocations[i].device = current;
      *ptr = allocations[i].memory;
      return hipSuccess;
    }
  }
  return hipErrorOutOfMemory;
}

hipError_t hipFree(void *ptr) {
  if (ptr == NULL) return hipSuccess;
  struct allocation *a = find(ptr, 1);
  if (a == NULL || a->memory != ptr) return hipErrorInvalidValue;
  free(a->memory);
  memset(a, 0, sizeof(*a));
  return hipSuccess;
}

hipError_t hipMemcpy(void *dst, const void *src, size_t sizeBytes, hipMemcpyKind kind) {
  if (dst == NULL || src == NULL) return hipErrorInvalidValue;
  switch (kind) {
    case hipMemcpyHostToDevice:
      if (find(dst, sizeBytes) == NULL) return hipErrorInvalidValue;
      break;
    case hipMemcpyDeviceToHost:
      if (find(src, sizeBytes) == NULL) return hipErrorInvalidValue;
      break;
    default:
      return hipErrorInvalidValue; /* the probe uses only these two */
  }
  memcpy(dst, src, sizeBytes);
  return hipSuccess;
}

hipError_t hipMemcpyPeer(void *dst, int dstDeviceId, const void *src, int srcDeviceId,
                         size_t sizeBytes) {
  struct allocation *d = find(dst, sizeBytes), *s = find(src, sizeBytes);
  if (!valid_device(dstDeviceId) || !valid_device(srcDeviceId)) return hipErrorInvalidDevice;
  if (d == NULL || s == NULL || d->device != dstDeviceId || s->device != srcDeviceId) {
    return hipErrorInvalidValue;
  }
  if (copy_delay_ms > 0) usleep(copy_delay_ms * 1000);
  /* The real runtime stages through the host without peer access; the probe must not. */
  if (!peer_enabled[srcDeviceId][dstDeviceId] && !peer_enabled[dstDeviceId][srcDeviceId]) {
    unpeered_copies++;
  }
  memmove(dst, src, sizeBytes);
  if (corrupt && sizeBytes > 64) ((char *) dst)[sizeBytes / 2] ^= 0x5a;
  peer_copies++;
  last_peer_source = srcDeviceId;
  return hipSuccess;
}
