package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The libfabric structs meshd reads or writes, as {@link MemoryLayout}s transcribed from the
 * libfabric 1.17 headers ({@code rdma/fabric.h}, {@code fi_domain.h}, {@code fi_endpoint.h},
 * {@code fi_eq.h}, {@code fi_cm.h}) for LP64 Linux: {@code size_t}, pointers and
 * {@code uint64_t} are 8 bytes, enums and {@code int} 4. Padding is written out where C inserts
 * it, so {@code structLayout} rejects a misaligned member instead of silently shifting the rest;
 * {@code FiStructsTest} compares every offset used here with {@code offsetof} from the real
 * headers.
 *
 * <p>The ABI is that of the default-versioned symbols ({@code fi_getinfo@@FABRIC_1.3},
 * {@code fi_dupinfo@@FABRIC_1.3}), which is what {@code dlsym} resolves: the {@code fi_info}
 * layout with {@code nic} at the end. Only fields meshd touches are named; the rest are kept
 * as correctly sized members so that sizes match.
 *
 * <p>The {@code fid_*} structs start with a {@code struct fid} ({@code fclass}, {@code context},
 * {@code ops}); the per-class ops table pointer follows it. The ops tables begin with their
 * {@code size}, then one function pointer per operation, in header order.
 */
public final class FiStructs {

  private FiStructs() {}

  /** {@code struct fi_fabric_attr}. */
  public static final StructLayout FABRIC_ATTR = MemoryLayout.structLayout(
      ADDRESS.withName("fabric"),
      ADDRESS.withName("name"),
      ADDRESS.withName("prov_name"),
      JAVA_INT.withName("prov_version"),
      JAVA_INT.withName("api_version"));

  /** {@code struct fi_domain_attr}. */
  public static final StructLayout DOMAIN_ATTR = MemoryLayout.structLayout(
      ADDRESS.withName("domain"),
      ADDRESS.withName("name"),
      JAVA_INT.withName("threading"),
      JAVA_INT.withName("control_progress"),
      JAVA_INT.withName("data_progress"),
      JAVA_INT.withName("resource_mgmt"),
      JAVA_INT.withName("av_type"),
      JAVA_INT.withName("mr_mode"),
      JAVA_LONG.withName("mr_key_size"),
      JAVA_LONG.withName("cq_data_size"),
      JAVA_LONG.withName("cq_cnt"),
      JAVA_LONG.withName("ep_cnt"),
      JAVA_LONG.withName("tx_ctx_cnt"),
      JAVA_LONG.withName("rx_ctx_cnt"),
      JAVA_LONG.withName("max_ep_tx_ctx"),
      JAVA_LONG.withName("max_ep_rx_ctx"),
      JAVA_LONG.withName("max_ep_stx_ctx"),
      JAVA_LONG.withName("max_ep_srx_ctx"),
      JAVA_LONG.withName("cntr_cnt"),
      JAVA_LONG.withName("mr_iov_limit"),
      JAVA_LONG.withName("caps"),
      JAVA_LONG.withName("mode"),
      ADDRESS.withName("auth_key"),
      JAVA_LONG.withName("auth_key_size"),
      JAVA_LONG.withName("max_err_data"),
      JAVA_LONG.withName("mr_cnt"),
      JAVA_INT.withName("tclass"),
      MemoryLayout.paddingLayout(4));

  /** {@code struct fi_ep_attr}. */
  public static final StructLayout EP_ATTR = MemoryLayout.structLayout(
      JAVA_INT.withName("type"),
      JAVA_INT.withName("protocol"),
      JAVA_INT.withName("protocol_version"),
      MemoryLayout.paddingLayout(4),
      JAVA_LONG.withName("max_msg_size"),
      JAVA_LONG.withName("msg_prefix_size"),
      JAVA_LONG.withName("max_order_raw_size"),
      JAVA_LONG.withName("max_order_war_size"),
      JAVA_LONG.withName("max_order_waw_size"),
      JAVA_LONG.withName("mem_tag_format"),
      JAVA_LONG.withName("tx_ctx_cnt"),
      JAVA_LONG.withName("rx_ctx_cnt"),
      JAVA_LONG.withName("auth_key_size"),
      ADDRESS.withName("auth_key"));

  /** {@code struct fi_tx_attr}. */
  public static final StructLayout TX_ATTR = MemoryLayout.structLayout(
      JAVA_LONG.withName("caps"),
      JAVA_LONG.withName("mode"),
      JAVA_LONG.withName("op_flags"),
      JAVA_LONG.withName("msg_order"),
      JAVA_LONG.withName("comp_order"),
      JAVA_LONG.withName("inject_size"),
      JAVA_LONG.withName("size"),
      JAVA_LONG.withName("iov_limit"),
      JAVA_LONG.withName("rma_iov_limit"),
      JAVA_INT.withName("tclass"),
      MemoryLayout.paddingLayout(4));

  /** {@code struct fi_info}: one entry of the list {@code fi_getinfo} returns. */
  public static final StructLayout INFO = MemoryLayout.structLayout(
      ADDRESS.withName("next"),
      JAVA_LONG.withName("caps"),
      JAVA_LONG.withName("mode"),
      JAVA_INT.withName("addr_format"),
      MemoryLayout.paddingLayout(4),
      JAVA_LONG.withName("src_addrlen"),
      JAVA_LONG.withName("dest_addrlen"),
      ADDRESS.withName("src_addr"),
      ADDRESS.withName("dest_addr"),
      ADDRESS.withName("handle"),
      ADDRESS.withName("tx_attr"),
      ADDRESS.withName("rx_attr"),
      ADDRESS.withName("ep_attr"),
      ADDRESS.withName("domain_attr"),
      ADDRESS.withName("fabric_attr"),
      ADDRESS.withName("nic"));

  /** {@code struct fid}: the header of every libfabric object. */
  public static final StructLayout FID = MemoryLayout.structLayout(
      JAVA_LONG.withName("fclass"),
      ADDRESS.withName("context"),
      ADDRESS.withName("ops"));

  /** {@code struct fid_fabric}. */
  public static final StructLayout FID_FABRIC = MemoryLayout.structLayout(
      FID.withName("fid"),
      ADDRESS.withName("ops"),
      JAVA_INT.withName("api_version"),
      MemoryLayout.paddingLayout(4));

  /** {@code struct fid_domain}. */
  public static final StructLayout FID_DOMAIN = MemoryLayout.structLayout(
      FID.withName("fid"),
      ADDRESS.withName("ops"),
      ADDRESS.withName("mr"));

  /** {@code struct fid_ep}: besides the fid, one ops table per API family. */
  public static final StructLayout FID_EP = MemoryLayout.structLayout(
      FID.withName("fid"),
      ADDRESS.withName("ops"),
      ADDRESS.withName("cm"),
      ADDRESS.withName("msg"),
      ADDRESS.withName("rma"),
      ADDRESS.withName("tagged"),
      ADDRESS.withName("atomic"),
      ADDRESS.withName("collective"));

  /**
   * {@code struct fid_mr}: a memory region. {@code fi_mr_desc(mr)} and {@code fi_mr_key(mr)}
   * are static inlines that read {@code mem_desc} and {@code key}.
   */
  public static final StructLayout FID_MR = MemoryLayout.structLayout(
      FID.withName("fid"),
      ADDRESS.withName("mem_desc"),
      JAVA_LONG.withName("key"));

  /** {@code struct fid_av}. */
  public static final StructLayout FID_AV =
      MemoryLayout.structLayout(FID.withName("fid"), ADDRESS.withName("ops"));

  /** {@code struct fid_cq}. */
  public static final StructLayout FID_CQ =
      MemoryLayout.structLayout(FID.withName("fid"), ADDRESS.withName("ops"));

  /** {@code struct fi_ops}: the operations every fid has. */
  public static final StructLayout OPS = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("close"),
      ADDRESS.withName("bind"),
      ADDRESS.withName("control"),
      ADDRESS.withName("ops_open"),
      ADDRESS.withName("tostr"),
      ADDRESS.withName("ops_set"));

  /** {@code struct fi_ops_fabric}, up to {@code domain2}. */
  public static final StructLayout OPS_FABRIC = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("domain"),
      ADDRESS.withName("passive_ep"),
      ADDRESS.withName("eq_open"),
      ADDRESS.withName("wait_open"),
      ADDRESS.withName("trywait"),
      ADDRESS.withName("domain2"));

  /** {@code struct fi_ops_domain}, up to {@code endpoint}: the rest is not used. */
  public static final StructLayout OPS_DOMAIN = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("av_open"),
      ADDRESS.withName("cq_open"),
      ADDRESS.withName("endpoint"));

  /** {@code struct fi_ops_mr}, up to {@code reg} ({@code fid_domain->mr}). */
  public static final StructLayout OPS_MR = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("reg"));

  /** {@code struct fi_ops_rma}, up to {@code write} ({@code fid_ep->rma}). */
  public static final StructLayout OPS_RMA = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("read"),
      ADDRESS.withName("readv"),
      ADDRESS.withName("readmsg"),
      ADDRESS.withName("write"));

  /** {@code struct fi_ops_cm}, up to {@code getname}. */
  public static final StructLayout OPS_CM = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("setname"),
      ADDRESS.withName("getname"));

  /** {@code struct fi_ops_msg}, up to {@code send}. */
  public static final StructLayout OPS_MSG = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("recv"),
      ADDRESS.withName("recvv"),
      ADDRESS.withName("recvmsg"),
      ADDRESS.withName("send"));

  /** {@code struct fi_ops_cq}, up to {@code readerr}. */
  public static final StructLayout OPS_CQ = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("read"),
      ADDRESS.withName("readfrom"),
      ADDRESS.withName("readerr"));

  /** {@code struct fi_ops_av}, up to {@code remove}. */
  public static final StructLayout OPS_AV = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      ADDRESS.withName("insert"),
      ADDRESS.withName("insertsvc"),
      ADDRESS.withName("insertsym"),
      ADDRESS.withName("remove"));

  /** {@code struct fi_av_attr}. */
  public static final StructLayout AV_ATTR = MemoryLayout.structLayout(
      JAVA_INT.withName("type"),
      JAVA_INT.withName("rx_ctx_bits"),
      JAVA_LONG.withName("count"),
      JAVA_LONG.withName("ep_per_node"),
      ADDRESS.withName("name"),
      ADDRESS.withName("map_addr"),
      JAVA_LONG.withName("flags"));

  /** {@code struct fi_cq_attr}. */
  public static final StructLayout CQ_ATTR = MemoryLayout.structLayout(
      JAVA_LONG.withName("size"),
      JAVA_LONG.withName("flags"),
      JAVA_INT.withName("format"),
      JAVA_INT.withName("wait_obj"),
      JAVA_INT.withName("signaling_vector"),
      JAVA_INT.withName("wait_cond"),
      ADDRESS.withName("wait_set"));

  /** {@code struct fi_cq_msg_entry}: what {@code FI_CQ_FORMAT_MSG} completions hold. */
  public static final StructLayout CQ_MSG_ENTRY = MemoryLayout.structLayout(
      ADDRESS.withName("op_context"),
      JAVA_LONG.withName("flags"),
      JAVA_LONG.withName("len"));

  /** {@code struct fi_cq_err_entry}. */
  public static final StructLayout CQ_ERR_ENTRY = MemoryLayout.structLayout(
      ADDRESS.withName("op_context"),
      JAVA_LONG.withName("flags"),
      JAVA_LONG.withName("len"),
      ADDRESS.withName("buf"),
      JAVA_LONG.withName("data"),
      JAVA_LONG.withName("tag"),
      JAVA_LONG.withName("olen"),
      JAVA_INT.withName("err"),
      JAVA_INT.withName("prov_errno"),
      ADDRESS.withName("err_data"),
      JAVA_LONG.withName("err_data_size"));

  /** The byte offset of {@code path} (e.g. {@code "fabric_attr"}) in {@code layout}. */
  public static long offset(StructLayout layout, String... path) {
    MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
    for (int i = 0; i < path.length; i++) {
      elements[i] = groupElement(path[i]);
    }
    return layout.byteOffset(elements);
  }

  // Constants from the headers; each says where it comes from.

  /** {@code FI_VERSION(1, 17)}: the API version these layouts were transcribed from. */
  public static final int FI_VERSION_1_17 = version(1, 17);

  /** {@code FI_MSG} (fabric.h): send/receive messaging. */
  public static final long FI_MSG = 1L << 1;
  /** {@code FI_RMA} (fabric.h): remote memory access (fi_read, fi_write). */
  public static final long FI_RMA = 1L << 2;
  /** {@code FI_READ} (fabric.h): access flag, this side reads remote memory. */
  public static final long FI_READ = 1L << 8;
  /** {@code FI_WRITE} (fabric.h): access flag, this side writes remote memory. */
  public static final long FI_WRITE = 1L << 9;
  /** {@code FI_REMOTE_READ} (fabric.h): a region peers may read. */
  public static final long FI_REMOTE_READ = 1L << 12;
  /** {@code FI_REMOTE_WRITE} (fabric.h): a region peers may write. */
  public static final long FI_REMOTE_WRITE = 1L << 13;
  /**
   * {@code FI_DELIVERY_COMPLETE} (fabric.h, op flag): a completion means the data is visible
   * at the target, not merely sent.
   */
  public static final long FI_DELIVERY_COMPLETE = 1L << 28;
  /** {@code FI_CONTEXT} (fabric.h, mode): each operation's context is a {@code fi_context}. */
  public static final long FI_CONTEXT = 1L << 59;
  /** {@code FI_CONTEXT2} (fabric.h, mode): each operation's context is a {@code fi_context2}. */
  public static final long FI_CONTEXT2 = 1L << 52;
  /** {@code sizeof(struct fi_context)}: four pointers the provider may use. */
  public static final int FI_CONTEXT_BYTES = 32;
  /** {@code sizeof(struct fi_context2)}: eight pointers. */
  public static final int FI_CONTEXT2_BYTES = 64;
  /** {@code FI_RECV} (fabric.h); also the flag of a receive completion. */
  public static final long FI_RECV = 1L << 10;
  /** {@code FI_SEND} = {@code FI_TRANSMIT} (fabric.h); also the flag of a send completion. */
  public static final long FI_SEND = 1L << 11;
  /** {@code FI_SYNC_ERR} (fi_domain.h): fi_av_insert writes per-address errors to context. */
  public static final long FI_SYNC_ERR = 1L << 58;
  /** {@code FI_SOURCE} (fabric.h): fi_getinfo's node is the local address to bind. */
  public static final long FI_SOURCE = 1L << 57;
  /** {@code FI_LOCAL_MR} (fabric.h): the pre-1.5 mode bit for "local buffers need an MR". */
  public static final long FI_LOCAL_MR = 1L << 55;
  /** {@code FI_MR_LOCAL} (fabric.h, mr_mode): local buffers must be registered. */
  public static final int FI_MR_LOCAL = 1 << 2;
  /** {@code FI_MR_VIRT_ADDR} (mr_mode): remote addresses are virtual addresses, not offsets. */
  public static final int FI_MR_VIRT_ADDR = 1 << 4;
  /** {@code FI_MR_ALLOCATED} (mr_mode): only memory backed by pages may be registered. */
  public static final int FI_MR_ALLOCATED = 1 << 5;
  /** {@code FI_MR_PROV_KEY} (mr_mode): the provider chooses keys ({@code fi_mr_key}). */
  public static final int FI_MR_PROV_KEY = 1 << 6;
  /** {@code FI_MR_ENDPOINT} (mr_mode): a region is bound to an endpoint and enabled. */
  public static final int FI_MR_ENDPOINT = 1 << 9;
  /** {@code FI_MR_BASIC} and {@code FI_MR_SCALABLE}, the pre-1.5 mr_mode values. */
  public static final int FI_MR_BASIC_OR_SCALABLE = 1 | 2;
  /** {@code FI_ADDR_UNSPEC} (fabric.h): receive from any source. */
  public static final long FI_ADDR_UNSPEC = -1L;
  /** {@code FI_ADDR_NOTAVAIL} (fabric.h): what fi_av_insert writes for a rejected address. */
  public static final long FI_ADDR_NOTAVAIL = -1L;
  /** {@code FI_EP_RDM} (enum fi_ep_type). */
  public static final int FI_EP_RDM = 3;
  /** {@code FI_THREAD_DOMAIN} (enum fi_threading): one thread at a time per domain. */
  public static final int FI_THREAD_DOMAIN = 3;
  /** {@code FI_CQ_FORMAT_MSG} (enum fi_cq_format). */
  public static final int FI_CQ_FORMAT_MSG = 2;
  /** {@code FI_ENABLE} (fabric.h control commands): what {@code fi_enable} passes. */
  public static final int FI_ENABLE = 6;
  /** {@code FI_EAGAIN} (fi_errno.h) = EAGAIN: nothing to read, or try the post again. */
  public static final int FI_EAGAIN = 11;
  /** {@code FI_ENODATA} (fi_errno.h) = ENODATA: fi_getinfo found nothing that matches. */
  public static final int FI_ENODATA = 61;
  /** {@code FI_EAVAIL} (fi_errno.h): an error completion waits in the CQ. */
  public static final int FI_EAVAIL = 259;

  /** The endpoint types in {@code enum fi_ep_type} order, as fi_info prints them. */
  private static final String[] EP_TYPES = {
      "FI_EP_UNSPEC", "FI_EP_MSG", "FI_EP_DGRAM", "FI_EP_RDM", "FI_EP_SOCK_STREAM",
      "FI_EP_SOCK_DGRAM"};

  /** {@code FI_VERSION(major, minor)}. */
  public static int version(int major, int minor) {
    return (major << 16) | minor;
  }

  /** {@code 1.17} for {@code FI_VERSION(1, 17)}. */
  public static String versionText(int version) {
    return (version >>> 16) + "." + (version & 0xffff);
  }

  /** The name fi_info prints for an {@code enum fi_ep_type} value. */
  public static String endpointTypeName(int type) {
    return type >= 0 && type < EP_TYPES.length ? EP_TYPES[type] : "FI_EP_" + type;
  }
}
