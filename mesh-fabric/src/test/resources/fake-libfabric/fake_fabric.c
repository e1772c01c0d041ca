/*
 * A stand-in for libfabric.so.1 with the real headers' structs and ops tables, for testing the
 * FFM binding's open/close order and error paths without a network: every object it hands out
 * is counted and every call logged, and one step can be made to fail (fake_fail_at).
 * Built by RdmEndpointLifecycleTest with: gcc -shared -fPIC -o libfakefabric.so fake_fabric.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_eq.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_rma.h>

static char fake_log_buffer[8192];
static char fail_step[64];
static int live;

static void note(const char *event) {
  strncat(fake_log_buffer, event, sizeof fake_log_buffer - strlen(fake_log_buffer) - 2);
  strcat(fake_log_buffer, ";");
}

/* Test controls. */
const char *fake_log(void) { return fake_log_buffer; }
int fake_live(void) { return live; }
void fake_reset(const char *step) {
  fake_log_buffer[0] = 0;
  snprintf(fail_step, sizeof fail_step, "%s", step ? step : "");
}

static int failing(const char *step) {
  if (strcmp(fail_step, step) == 0) {
    char event[80];
    snprintf(event, sizeof event, "%s!", step);
    note(event);
    return 1;
  }
  note(step);
  return 0;
}

static int close_fid(struct fid *fid, const char *what) {
  char event[32];
  snprintf(event, sizeof event, "close %s", what);
  note(event);
  live--;
  free(fid);
  return 0;
}

static int close_fabric(struct fid *fid) { return close_fid(fid, "fabric"); }
static int close_domain(struct fid *fid) { return close_fid(fid, "domain"); }
static int close_av(struct fid *fid) { return close_fid(fid, "av"); }
static int close_cq(struct fid *fid) { return close_fid(fid, "cq"); }
static int close_ep(struct fid *fid) { return close_fid(fid, "ep"); }
static int close_mr(struct fid *fid) { return close_fid(fid, "mr"); }

/* What an RDMA provider may demand: set by fake_reset("rdma demands"). */
static int rdma_demands(void) { return strcmp(fail_step, "rdma demands") == 0; }

static int ep_bind(struct fid *fid, struct fid *bfid, uint64_t flags) {
  return failing(flags ? "bind cq" : "bind av") ? -FI_EINVAL : 0;
}

static int ep_control(struct fid *fid, int command, void *arg) {
  return command == FI_ENABLE && !failing("enable") ? 0 : -FI_EINVAL;
}

static int ep_getname(fid_t fid, void *addr, size_t *addrlen) {
  unsigned char name[16] = {2, 0, 0x12, 0x34, 127, 0, 0, 1};
  if (*addrlen < sizeof name) return -FI_ETOOSMALL;
  memcpy(addr, name, sizeof name);
  *addrlen = sizeof name;
  return failing("getname") ? -FI_EINVAL : 0;
}

static void *last_desc;
static void *last_context;
void *fake_last_desc(void) { return last_desc; }
void *fake_last_context(void) { return last_context; }

static ssize_t ep_send(struct fid_ep *ep, const void *buf, size_t len, void *desc,
    fi_addr_t dest, void *context) {
  last_desc = desc;
  last_context = context;
  return -FI_EAGAIN;
}
static ssize_t ep_recv(struct fid_ep *ep, void *buf, size_t len, void *desc,
    fi_addr_t src, void *context) { return 0; }
static ssize_t ep_write(struct fid_ep *ep, const void *buf, size_t len, void *desc,
    fi_addr_t dest, uint64_t addr, uint64_t key, void *context) { return -FI_EAGAIN; }
static ssize_t cq_read(struct fid_cq *cq, void *buf, size_t count) { return -FI_EAGAIN; }
static ssize_t cq_readerr(struct fid_cq *cq, struct fi_cq_err_entry *buf, uint64_t flags) {
  return -FI_EAGAIN;
}

static int av_insert(struct fid_av *av, const void *addr, size_t count, fi_addr_t *fi_addr,
    uint64_t flags, void *context) {
  if (((const unsigned char *) addr)[0] != 2) {
    *fi_addr = FI_ADDR_NOTAVAIL;
    if (flags & FI_SYNC_ERR) ((int *) context)[0] = FI_EADDRNOTAVAIL;
    return 0;
  }
  *fi_addr = 7;
  return 1;
}
static int av_remove(struct fid_av *av, fi_addr_t *fi_addr, size_t count, uint64_t flags) {
  return 0;
}

static struct fi_ops fabric_fi_ops = {.size = sizeof(struct fi_ops), .close = close_fabric};
static struct fi_ops domain_fi_ops = {.size = sizeof(struct fi_ops), .close = close_domain};
static struct fi_ops av_fi_ops = {.size = sizeof(struct fi_ops), .close = close_av};
static struct fi_ops cq_fi_ops = {.size = sizeof(struct fi_ops), .close = close_cq};
static struct fi_ops ep_fi_ops = {
    .size = sizeof(struct fi_ops), .close = close_ep, .bind = ep_bind, .control = ep_control};
static struct fi_ops_rma ep_rma_ops = {.size = sizeof(struct fi_ops_rma), .write = ep_write};

static int mr_bind(struct fid *fid, struct fid *bfid, uint64_t flags) {
  return failing("mr bind") ? -FI_EINVAL : 0;
}
static int mr_control(struct fid *fid, int command, void *arg) {
  return command == FI_ENABLE && !failing("mr enable") ? 0 : -FI_EINVAL;
}
static struct fi_ops mr_fi_ops = {
    .size = sizeof(struct fi_ops), .close = close_mr, .bind = mr_bind, .control = mr_control};

/* The provider's key and descriptor, so that a test can tell them from requested ones. */
static int mr_reg(struct fid *fid, const void *buf, size_t len, uint64_t access,
    uint64_t offset, uint64_t requested_key, uint64_t flags, struct fid_mr **mr,
    void *context) {
  if (failing("mr_reg")) return -FI_ENOMEM;
  *mr = calloc(1, sizeof **mr);
  (*mr)->fid.ops = &mr_fi_ops;
  (*mr)->mem_desc = (void *) 0xD35C;
  (*mr)->key = rdma_demands() ? 0xC0FFEE : requested_key;
  live++;
  return 0;
}
static struct fi_ops_mr domain_mr_ops = {.size = sizeof(struct fi_ops_mr), .reg = mr_reg};

static struct fi_ops_cm ep_cm_ops = {.size = sizeof(struct fi_ops_cm), .getname = ep_getname};
static struct fi_ops_msg ep_msg_ops = {
    .size = sizeof(struct fi_ops_msg), .recv = ep_recv, .send = ep_send};
/* An ops table from a provider built against older headers: too short to hold send. */
static struct fi_ops_msg short_msg_ops = {.size = 2 * sizeof(size_t), .recv = ep_recv};
static struct fi_ops_cq cq_ops = {
    .size = sizeof(struct fi_ops_cq), .read = cq_read, .readerr = cq_readerr};
static struct fi_ops_av av_ops = {
    .size = sizeof(struct fi_ops_av), .insert = av_insert, .remove = av_remove};

static int av_open(struct fid_domain *domain, struct fi_av_attr *attr, struct fid_av **av,
    void *context) {
  if (failing("av_open")) return -FI_ENOMEM;
  *av = calloc(1, sizeof **av);
  (*av)->fid.ops = &av_fi_ops;
  (*av)->ops = &av_ops;
  live++;
  return 0;
}

static int cq_open(struct fid_domain *domain, struct fi_cq_attr *attr, struct fid_cq **cq,
    void *context) {
  if (attr->format != FI_CQ_FORMAT_MSG || failing("cq_open")) return -FI_ENOMEM;
  *cq = calloc(1, sizeof **cq);
  (*cq)->fid.ops = &cq_fi_ops;
  (*cq)->ops = &cq_ops;
  live++;
  return 0;
}

static int endpoint(struct fid_domain *domain, struct fi_info *info, struct fid_ep **ep,
    void *context) {
  if (failing("endpoint")) return -FI_ENOMEM;
  *ep = calloc(1, sizeof **ep);
  (*ep)->fid.ops = &ep_fi_ops;
  (*ep)->cm = &ep_cm_ops;
  (*ep)->msg = strcmp(fail_step, "short msg ops") == 0 ? &short_msg_ops : &ep_msg_ops;
  (*ep)->rma = &ep_rma_ops;
  live++;
  return 0;
}

static struct fi_ops_domain domain_ops = {.size = sizeof(struct fi_ops_domain),
    .av_open = av_open, .cq_open = cq_open, .endpoint = endpoint};

static int domain(struct fid_fabric *fabric, struct fi_info *info, struct fid_domain **dom,
    void *context) {
  if (failing("domain")) return -FI_ENOMEM;
  *dom = calloc(1, sizeof **dom);
  (*dom)->fid.ops = &domain_fi_ops;
  (*dom)->ops = &domain_ops;
  (*dom)->mr = &domain_mr_ops;
  live++;
  return 0;
}

static struct fi_ops_fabric fabric_ops = {.size = sizeof(struct fi_ops_fabric), .domain = domain};

uint32_t fi_version(void) { return FI_VERSION(1, 17); }

const char *fi_strerror(int errnum) { return strerror(errnum); }

struct fi_info *fi_dupinfo(const struct fi_info *info) {
  struct fi_info *dup = calloc(1, sizeof *dup);
  dup->tx_attr = calloc(1, sizeof *dup->tx_attr);
  dup->rx_attr = calloc(1, sizeof *dup->rx_attr);
  dup->ep_attr = calloc(1, sizeof *dup->ep_attr);
  dup->domain_attr = calloc(1, sizeof *dup->domain_attr);
  dup->fabric_attr = calloc(1, sizeof *dup->fabric_attr);
  live++;
  return dup;
}

void fi_freeinfo(struct fi_info *info) {
  while (info) {
    struct fi_info *next = info->next;
    /* As libfabric does: a caller's string left in the hints would be freed here. */
    free(info->fabric_attr->prov_name);
    free(info->fabric_attr->name);
    free(info->domain_attr->name);
    free(info->tx_attr);
    free(info->rx_attr);
    free(info->ep_attr);
    free(info->domain_attr);
    free(info->fabric_attr);
    free(info);
    live--;
    info = next;
  }
  note("freeinfo");
}

int fi_getinfo(uint32_t version, const char *node, const char *service, uint64_t flags,
    const struct fi_info *hints, struct fi_info **info) {
  if (failing("getinfo") || (hints && hints->fabric_attr->prov_name
      && strcmp(hints->fabric_attr->prov_name, "none") == 0)) {
    return -FI_ENODATA;
  }
  struct fi_info *result = fi_dupinfo(NULL);
  result->ep_attr->type = hints ? hints->ep_attr->type : FI_EP_RDM;
  result->fabric_attr->prov_name = strdup("fake;ofi_rxm");
  result->fabric_attr->name = strdup("127.0.0.1/32");
  result->domain_attr->name = strdup("lo");
  result->domain_attr->mr_mode = strcmp(fail_step, "mr local") == 0 ? FI_MR_LOCAL : 0;
  if (rdma_demands()) {
    /* What verbs or EFA answer: context structs, registered local buffers, virtual
       addresses, provider keys, regions bound to the endpoint. */
    result->mode = FI_CONTEXT2;
    result->domain_attr->mr_mode =
        FI_MR_LOCAL | FI_MR_VIRT_ADDR | FI_MR_PROV_KEY | FI_MR_ALLOCATED | FI_MR_ENDPOINT;
  }
  *info = result;
  return 0;
}

int fi_fabric(struct fi_fabric_attr *attr, struct fid_fabric **fabric, void *context) {
  if (failing("fabric")) return -FI_ENOMEM;
  *fabric = calloc(1, sizeof **fabric);
  (*fabric)->fid.ops = &fabric_fi_ops;
  (*fabric)->ops = &fabric_ops;
  live++;
  return 0;
}
