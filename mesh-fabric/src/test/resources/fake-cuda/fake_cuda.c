/*
 * A fake libcuda.so for NvlinkProbeTest: the CUDA driver API functions the NVLink probe binds,
 * with the real signatures from cuda.h (64-bit Linux), over "GPUs" whose memory is host memory.
 * Compiled by the test with gcc, so that the real FFM binding and probe code run on machines
 * without a GPU.
 *
 * Configured by the test through exported setters (not part of CUDA), before or between probes:
 *   fake_cuda_set_device_count(n)       GPUs the driver sees (default 2, at most 8)
 *   fake_cuda_set_init_result(r)        cuInit returns r (100 = CUDA_ERROR_NO_DEVICE)
 *   fake_cuda_set_peer_access(a, b, ok) whether ordinal a can access ordinal b (default: all)
 *   fake_cuda_set_pci_bus(ordinal, bus) the GPU's PCI bus (default 0x10 * (ordinal + 1))
 *   fake_cuda_set_corrupt(on)           every peer copy of more than 64 bytes flips one byte
 *   fake_cuda_set_copy_delay_ms(ms)     every peer copy sleeps first, as a slow or hung link
 * and read back through counters: live allocations, retained contexts, peer copies, peer copies
 * made without peer access enabled, the source ordinal of the last peer copy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;

#define MAX_DEVICES 8
#define MAX_ALLOCATIONS 64

enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_NOT_INITIALIZED = 3,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_INVALID_CONTEXT = 201,
  CUDA_ERROR_PEER_ACCESS_UNSUPPORTED = 217,
  CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED = 704,
};

struct CUctx_st {
  int device;
  int retained;
  int peer_enabled[MAX_DEVICES];
};

struct allocation {
  char *memory;
  size_t size;
  int device;
};

static struct CUctx_st contexts[MAX_DEVICES];
static struct allocation allocations[MAX_ALLOCATIONS];
static __thread CUcontext current = NULL;

static int device_count = 2;
static int init_result = CUDA_SUCCESS;
static int initialized = 0;
static int peer_denied[MAX_DEVICES][MAX_DEVICES];
static int pci_bus[MAX_DEVICES];
static int pci_bus_set[MAX_DEVICES];
static int corrupt = 0;
static int copy_delay_ms = 0;

static int peer_copies = 0;
static int unpeered_copies = 0;
static int last_peer_source = -1;

/* Test hooks: not part of CUDA. */
void fake_cuda_set_device_count(int n) { device_count = n < MAX_DEVICES ? n : MAX_DEVICES; }
void fake_cuda_set_init_result(int r) { init_result = r; }
void fake_cuda_set_peer_access(int a, int b, int ok) { peer_denied[a][b] = !ok; }
void fake_cuda_set_pci_bus(int ordinal, int bus) {
  pci_bus[ordinal] = bus;
  pci_bus_set[ordinal] = 1;
}
void fake_cuda_set_corrupt(int on) { corrupt = on; }
void fake_cuda_set_copy_delay_ms(int ms) { copy_delay_ms = ms; }

int fake_cuda_live_allocations(void) {
  int n = 0;
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    if (allocations[i].memory != NULL) n++;
  }
  return n;
}
int fake_cuda_retained_contexts(void) {
  int n = 0;
  for (int d = 0; d < MAX_DEVICES; d++) n += contexts[d].retained;
  return n;
}
int fake_cuda_peer_copies(void) { return peer_copies; }
int fake_cuda_unpeered_copies(void) { return unpeered_copies; }
int fake_cuda_last_peer_source(void) { return last_peer_source; }

static int valid_device(CUdevice d) { return d >= 0 && d < device_count; }

static int context_device(CUcontext ctx) {
  for (int d = 0; d < device_count; d++) {
    if (ctx == &contexts[d] && contexts[d].retained > 0) return d;
  }
  return -1;
}

/* The allocation holding [ptr, ptr + n), or NULL. */
static struct allocation *find(CUdeviceptr ptr, size_t n) {
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    struct allocation *a = &allocations[i];
    CUdeviceptr base = (CUdeviceptr) (uintptr_t) a->memory;
    if (a->memory != NULL && ptr >= base && ptr + n <= base + a->size) return a;
  }
  return NULL;
}

CUresult cuGetErrorString(CUresult error, const char **pStr) {
  const char *text;
  switch (error) {
    case CUDA_SUCCESS: text = "no error"; break;
    case CUDA_ERROR_INVALID_VALUE: text = "invalid argument"; break;
    case CUDA_ERROR_NOT_INITIALIZED: text = "initialization error"; break;
    case CUDA_ERROR_NO_DEVICE: text = "no CUDA-capable device is detected"; break;
    case CUDA_ERROR_INVALID_DEVICE: text = "invalid device ordinal"; break;
    case CUDA_ERROR_INVALID_CONTEXT: text = "invalid device context"; break;
    case CUDA_ERROR_PEER_ACCESS_UNSUPPORTED:
      text = "peer access is not supported between these two devices"; break;
    case CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED:
      text = "peer access is already enabled"; break;
    default: *pStr = NULL; return CUDA_ERROR_INVALID_VALUE;
  }
  *pStr = text;
  return CUDA_SUCCESS;
}

CUresult cuInit(unsigned int flags) {
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (init_result != CUDA_SUCCESS) return init_result;
  initialized = 1;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int *count) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  *count = device_count;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!valid_device(ordinal)) return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!valid_device(device)) return CUDA_ERROR_INVALID_DEVICE;
  switch (attribute) {
    case 33: /* CU_DEVICE_ATTRIBUTE_PCI_BUS_ID */
      *value = pci_bus_set[device] ? pci_bus[device] : 0x10 * (device + 1);
      return CUDA_SUCCESS;
    case 34: /* CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID */
    case 50: /* CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID */
      *value = 0;
      return CUDA_SUCCESS;
    default:
      return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult cuDeviceCanAccessPeer(int *canAccessPeer, CUdevice device, CUdevice peer) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!valid_device(device) || !valid_device(peer)) return CUDA_ERROR_INVALID_DEVICE;
  *canAccessPeer = device != peer && !peer_denied[device][peer];
  return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice device) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!valid_device(device)) return CUDA_ERROR_INVALID_DEVICE;
  contexts[device].device = device;
  contexts[device].retained++;
  *pctx = &contexts[device];
  return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (!valid_device(device)) return CUDA_ERROR_INVALID_DEVICE;
  if (contexts[device].retained == 0) return CUDA_ERROR_INVALID_CONTEXT;
  if (--contexts[device].retained == 0) {
    /* The last release resets the context: peer access goes with it. */
    memset(contexts[device].peer_enabled, 0, sizeof(contexts[device].peer_enabled));
  }
  return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (ctx != NULL && context_device(ctx) < 0) return CUDA_ERROR_INVALID_CONTEXT;
  current = ctx;
  return CUDA_SUCCESS;
}

CUresult cuCtxEnablePeerAccess(CUcontext peerContext, unsigned int flags) {
  int self = current == NULL ? -1 : context_device(current);
  int peer = context_device(peerContext);
  if (self < 0) return CUDA_ERROR_INVALID_CONTEXT;
  if (peer < 0 || flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (self == peer || peer_denied[self][peer]) return CUDA_ERROR_PEER_ACCESS_UNSUPPORTED;
  if (current->peer_enabled[peer]) return CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED;
  current->peer_enabled[peer] = 1;
  return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize(void) {
  if (current == NULL || context_device(current) < 0) return CUDA_ERROR_INVALID_CONTEXT;
  return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize) {
  int device = current == NULL ? -1 : context_device(current);
  if (device < 0) return CUDA_ERROR_INVALID_CONTEXT;
  if (bytesize == 0) return CUDA_ERROR_INVALID_VALUE;
  for (int i = 0; i < MAX_ALLOCATIONS; i++) {
    if (allocations[i].memory == NULL) {
      /* Garbage, not zeros: like device memory, it holds whatever was there. */
      allocations[i].memory = malloc(bytesize);
      memset(allocations[i].memory, 0xa5, bytesize);
      allocations[i].size = bytesize;
      allocations[i].device = device;
      *dptr = (CUdeviceptr) (uintptr_t) allocations[i].memory;
      return CUDA_SUCCESS;
    }
  }
  return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
}

CUresult cuMemFree_v2(CUdeviceptr dptr) {
  struct allocation *a = find(dptr, 1);
  if (a == NULL || (CUdeviceptr) (uintptr_t) a->memory != dptr) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  free(a->memory);
  memset(a, 0, sizeof(*a));
  return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t n) {
  if (current == NULL) return CUDA_ERROR_INVALID_CONTEXT;
  if (find(dst, n) == NULL || src == NULL) return CUDA_ERROR_INVALID_VALUE;
  memcpy((void *) (uintptr_t) dst, src, n);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t n) {
  if (current == NULL) return CUDA_ERROR_INVALID_CONTEXT;
  if (find(src, n) == NULL || dst == NULL) return CUDA_ERROR_INVALID_VALUE;
  memcpy(dst, (const void *) (uintptr_t) src, n);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyPeer(CUdeviceptr dst, CUcontext dstContext, CUdeviceptr src,
                      CUcontext srcContext, size_t n) {
  int to = context_device(dstContext), from = context_device(srcContext);
  struct allocation *d = find(dst, n), *s = find(src, n);
  if (to < 0 || from < 0) return CUDA_ERROR_INVALID_CONTEXT;
  if (d == NULL || s == NULL || d->device != to || s->device != from) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  if (copy_delay_ms > 0) usleep(copy_delay_ms * 1000);
  /* The real driver stages through the host without peer access; the probe must not. */
  if (!contexts[from].peer_enabled[to] && !contexts[to].peer_enabled[from]) unpeered_copies++;
  memmove((void *) (uintptr_t) dst, (const void *) (uintptr_t) src, n);
  if (corrupt && n > 64) ((char *) (uintptr_t) dst)[n / 2] ^= 0x5a;
  peer_copies++;
  last_peer_source = from;
  return CUDA_SUCCESS;
}
