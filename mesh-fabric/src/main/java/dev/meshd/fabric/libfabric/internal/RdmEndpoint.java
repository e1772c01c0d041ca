package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One reliable-datagram endpoint ({@code FI_EP_RDM}) and everything under it: the
 * {@code fi_getinfo} result, fabric, domain, address vector, completion queue and the endpoint
 * itself, opened in that order and closed in the reverse order by {@link #close()}, which also
 * runs when opening fails half-way.
 *
 * <p>What it asks {@code fi_getinfo} for is an {@link EndpointRequest}: messages only, demanding
 * nothing of the provider (the {@code tcp} transport), or messages and RMA honouring the
 * provider's {@link ProviderDemands} (the RDMA transport). Buffers come from {@link #buffer},
 * which registers them when the provider demands {@code FI_MR_LOCAL}; {@link #register} makes a
 * region peers may write. Every operation is posted with the context its provider demands
 * ({@link OperationContexts}) and the descriptor of the buffer it uses. Memory regions are fids
 * like the others, closed before the endpoint. The arena is closed with the endpoint, after
 * the fids, so nothing it holds (buffers, context structs) outlives them and nothing leaks
 * from one endpoint to the next.
 *
 * <p>Thread confinement: opened, used and closed by one thread. The arena is confined (FFM
 * enforces it), and the domain is opened with {@code FI_THREAD_DOMAIN}, which promises
 * libfabric no concurrent calls. Progress is manual for {@code tcp;ofi_rxm}: nothing moves,
 * not even connection set-up, unless the owner keeps calling {@link #poll}.
 */
@SuppressWarnings("restricted")
public final class RdmEndpoint implements AutoCloseable {

  /** Completions read per {@code fi_cq_read}. */
  private static final int BATCH = 16;

  private static final long ENTRY_BYTES = FiStructs.CQ_MSG_ENTRY.byteSize();
  private static final long ENTRY_CONTEXT = FiStructs.offset(FiStructs.CQ_MSG_ENTRY, "op_context");
  private static final long ENTRY_FLAGS = FiStructs.offset(FiStructs.CQ_MSG_ENTRY, "flags");
  private static final long ENTRY_LENGTH = FiStructs.offset(FiStructs.CQ_MSG_ENTRY, "len");

  private final FabricLibrary library;
  private final Arena arena;
  private final Deque<MemorySegment> openFids = new ArrayDeque<>();
  private FiInfoList infos;
  private FiInfoEntry info;
  private final TreeMap<Long, MemoryRegion> localRegions = new TreeMap<>();
  private EndpointRequest request;
  private ProviderDemands demands = ProviderDemands.none();
  private OperationContexts contexts;
  private MemorySegment domain = MemorySegment.NULL;
  private MemorySegment ep = MemorySegment.NULL;
  private MemorySegment cq = MemorySegment.NULL;
  private MemorySegment av = MemorySegment.NULL;
  private MemorySegment sendFn;
  private MemorySegment recvFn;
  private MemorySegment writeFn;
  private long nextRequestedKey = 1;
  private MemorySegment cqReadFn;
  private MemorySegment cqReadErrFn;
  private MemorySegment avInsertFn;
  private MemorySegment avRemoveFn;
  private MemorySegment entries;
  private MemorySegment errorEntry;
  private byte[] name;
  private boolean closed;

  private RdmEndpoint(FabricLibrary library) {
    this.library = library;
    this.arena = Arena.ofConfined();
  }

  /**
   * Opens an endpoint of {@code provider} bound to {@code node} ({@code FI_SOURCE}, port chosen
   * by the provider).
   *
   * @throws FabricCallException the call that failed; {@code fi_getinfo} with
   *     {@link FiStructs#FI_ENODATA} when no provider matches (or the only one needs
   *     registered buffers)
   */
  public static RdmEndpoint open(FabricLibrary library, String provider, String node)
      throws FabricCallException {
    return open(library, provider, node, EndpointRequest.messaging());
  }

  /**
   * Opens an endpoint of {@code provider} with what {@code request} asks for and honours.
   *
   * @throws FabricCallException as {@link #open(FabricLibrary, String, String)}; also
   *     {@code fi_getinfo} with {@link FiStructs#FI_ENODATA} when the provider demands what
   *     the request does not honour
   */
  public static RdmEndpoint open(FabricLibrary library, String provider, String node,
      EndpointRequest request) throws FabricCallException {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(request, "request");
    RdmEndpoint endpoint = new RdmEndpoint(library);
    try {
      endpoint.openAll(provider, node, request);
      return endpoint;
    } catch (FabricCallException | RuntimeException e) {
      // Whatever was opened is closed, in reverse order; the call that failed is the story.
      try {
        endpoint.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private void openAll(String provider, String node, EndpointRequest request)
      throws FabricCallException {
    // Only the mode and mr_mode bits the request honours are offered, so a provider that
    // demands more is filtered out by libfabric itself. FI_THREAD_DOMAIN: see the class.
    this.request = request;
    infos = library.getinfo(node, FiStructs.FI_SOURCE, request.hints(provider));
    MemorySegment first = infos.first();
    info = FiInfoList.read(first);
    demands = new ProviderDemands(info.mode(), info.mrMode());
    checkHonoured();
    contexts = new OperationContexts(arena, demands.contextBytes());
    MemorySegment fabric = library.openFabric(first, arena);
    openFids.push(fabric);
    domain = FidOps.open("fi_domain", FidOps.function(
        fabric, FiStructs.FID_FABRIC, "ops", FiStructs.OPS_FABRIC, "domain"),
        fabric, first, library);
    openFids.push(domain);
    MemorySegment avAttr = arena.allocate(FiStructs.AV_ATTR);
    av = FidOps.open("fi_av_open", domainOp("av_open", domain), domain, avAttr, library);
    openFids.push(av);
    MemorySegment cqAttr = arena.allocate(FiStructs.CQ_ATTR);
    cqAttr.set(JAVA_INT, FiStructs.offset(FiStructs.CQ_ATTR, "format"),
        FiStructs.FI_CQ_FORMAT_MSG);
    cq = FidOps.open("fi_cq_open", domainOp("cq_open", domain), domain, cqAttr, library);
    openFids.push(cq);
    ep = FidOps.open("fi_endpoint", domainOp("endpoint", domain), domain, first, library);
    openFids.push(ep);
    FidOps.bind(library, ep, cq, FiStructs.FI_SEND | FiStructs.FI_RECV);
    FidOps.bind(library, ep, av, 0);
    FidOps.enable(library, ep);
    name = FidOps.getname(library, ep);
    // Function pointers of the hot path, read once: the ops tables do not change while the
    // objects live.
    sendFn = FidOps.function(ep, FiStructs.FID_EP, "msg", FiStructs.OPS_MSG, "send");
    recvFn = FidOps.function(ep, FiStructs.FID_EP, "msg", FiStructs.OPS_MSG, "recv");
    if ((request.caps() & FiStructs.FI_RMA) != 0) {
      writeFn = FidOps.function(ep, FiStructs.FID_EP, "rma", FiStructs.OPS_RMA, "write");
    }
    cqReadFn = FidOps.function(cq, FiStructs.FID_CQ, "ops", FiStructs.OPS_CQ, "read");
    cqReadErrFn = FidOps.function(cq, FiStructs.FID_CQ, "ops", FiStructs.OPS_CQ, "readerr");
    avInsertFn = FidOps.function(av, FiStructs.FID_AV, "ops", FiStructs.OPS_AV, "insert");
    avRemoveFn = FidOps.function(av, FiStructs.FID_AV, "ops", FiStructs.OPS_AV, "remove");
    entries = arena.allocate(FiStructs.CQ_MSG_ENTRY, BATCH);
    errorEntry = arena.allocate(FiStructs.CQ_ERR_ENTRY);
  }

  /** Belt and braces: the hints already exclude these, but a provider may ignore them. */
  private void checkHonoured() throws FabricCallException {
    if (demands.localDescriptors() && (request.mrMode() & FiStructs.FI_MR_LOCAL) == 0) {
      throw new FabricCallException("fi_getinfo", FiStructs.FI_ENODATA, info.provider()
          + " needs registered local buffers (FI_MR_LOCAL), which this transport does not use");
    }
    if ((info.mode() & ~request.mode() & ProviderDemands.HONOURED_MODE) != 0) {
      throw new FabricCallException("fi_getinfo", FiStructs.FI_ENODATA, info.provider()
          + " needs context structs (FI_CONTEXT/FI_CONTEXT2), which this transport does not pass");
    }
    int unasked = info.mrMode() & ~request.mrMode() & ~FiStructs.FI_MR_BASIC_OR_SCALABLE;
    if (request.registers() && unasked != 0) {
      throw new FabricCallException("fi_getinfo", FiStructs.FI_ENODATA, info.provider()
          + " needs mr_mode 0x" + Integer.toHexString(unasked) + ", which meshd does not honour");
    }
  }

  private static MemorySegment domainOp(String function, MemorySegment domain)
      throws FabricCallException {
    return FidOps.function(domain, FiStructs.FID_DOMAIN, "ops", FiStructs.OPS_DOMAIN, function);
  }

  /** What {@code fi_getinfo} chose: provider ({@code tcp;ofi_rxm}), fabric, domain. */
  public FiInfoEntry info() {
    return info;
  }

  /** {@code fi_getname}: this endpoint's address, what a peer passes to fi_av_insert. */
  public byte[] name() {
    return name.clone();
  }

  /** Memory that lives as long as this endpoint; confined to its thread. */
  public Arena arena() {
    return arena;
  }

  /** What the provider demands, as {@code fi_getinfo} answered. */
  public ProviderDemands demands() {
    return demands;
  }

  /**
   * A buffer for local operations (sends, receives, the source of writes), 64-byte aligned,
   * living as long as the endpoint; registered for local access when the provider demands
   * {@code FI_MR_LOCAL}, so that operations on it pass its descriptor.
   *
   * @throws FabricCallException {@code fi_mr_reg} (or bind, enable) failed
   */
  public MemorySegment buffer(long bytes) throws FabricCallException {
    MemorySegment buffer = arena.allocate(bytes, 64);
    if (demands.localDescriptors()) {
      localRegions.put(buffer.address(), register(buffer,
          FiStructs.FI_SEND | FiStructs.FI_RECV | FiStructs.FI_WRITE | FiStructs.FI_READ));
    }
    return buffer;
  }

  /**
   * {@code fi_mr_reg} of {@code buffer} with {@code access} (e.g. {@code FI_REMOTE_WRITE}), and
   * under {@code FI_MR_ENDPOINT} {@code fi_mr_bind} to this endpoint and {@code fi_mr_enable}.
   * The region is closed with the endpoint, before it. The key requested is a counter, unique
   * within this endpoint's domain.
   *
   * @throws FabricCallException the call that failed: {@code fi_mr_reg}, {@code fi_mr_bind}
   *     or {@code fi_mr_enable}
   */
  public MemoryRegion register(MemorySegment buffer, long access) throws FabricCallException {
    if (!request.registers()) {
      throw new IllegalStateException("this endpoint was opened without memory registration");
    }
    long requestedKey = nextRequestedKey++;
    MemorySegment mr = FidOps.mrReg(library, domain, buffer, access, requestedKey);
    openFids.push(mr);
    if (demands.bindToEndpoint()) {
      FidOps.bind(library, "fi_mr_bind", mr, ep, 0);
      FidOps.enable(library, "fi_mr_enable", mr);
    }
    MemorySegment fields = mr.reinterpret(FiStructs.FID_MR.byteSize());
    MemorySegment descriptor =
        fields.get(ADDRESS, FiStructs.offset(FiStructs.FID_MR, "mem_desc"));
    long providerKey = fields.get(JAVA_LONG, FiStructs.offset(FiStructs.FID_MR, "key"));
    return new MemoryRegion(buffer, descriptor, demands.key(providerKey, requestedKey),
        demands.targetAddress(buffer.address(), 0));
  }

  /** The descriptor local operations on {@code buffer} pass: NULL unless FI_MR_LOCAL. */
  private MemorySegment descriptorOf(MemorySegment buffer) {
    if (!demands.localDescriptors()) {
      return MemorySegment.NULL;
    }
    Map.Entry<Long, MemoryRegion> region = localRegions.floorEntry(buffer.address());
    if (region == null || buffer.address() + buffer.byteSize()
        > region.getKey() + region.getValue().buffer().byteSize()) {
      throw new IllegalArgumentException("a buffer not from buffer(): the provider demands "
          + "registered local buffers (FI_MR_LOCAL)");
    }
    return demands.descriptor(region.getValue().descriptor());
  }

  /** {@code fi_strerror(errno)}. */
  public String strerror(int errno) {
    return library.strerror(errno);
  }

  /** {@code fi_av_insert} of one peer address; its {@code fi_addr_t}. */
  public long insert(byte[] address) throws FabricCallException {
    return FidOps.avInsert(library, avInsertFn, av, address);
  }

  /** {@code fi_av_remove} of one peer inserted before. */
  public void remove(long fiAddr) throws FabricCallException {
    FidOps.avRemove(library, avRemoveFn, av, fiAddr);
  }

  /** {@code fi_send}: 0, or a negative error ({@code -FI_EAGAIN}: poll, then post again). */
  public long send(MemorySegment buffer, long length, long peer, long context) {
    return FidOps.transfer(sendFn, ep, buffer, length, descriptorOf(buffer), peer,
        contexts.forOperation(context));
  }

  /** {@code fi_recv} from any peer: 0, or a negative error. */
  public long receive(MemorySegment buffer, long length, long context) {
    return FidOps.transfer(recvFn, ep, buffer, length, descriptorOf(buffer),
        FiStructs.FI_ADDR_UNSPEC, contexts.forOperation(context));
  }

  /**
   * {@code fi_write} of the first {@code length} bytes of {@code buffer} (from {@link #buffer})
   * to {@code peer}'s region {@code key} at {@code targetAddress} (see
   * {@link MemoryRegion#targetAddress}): 0, or a negative error ({@code -FI_EAGAIN}: poll,
   * then post again). Its completion carries {@code FI_WRITE}.
   */
  public long write(MemorySegment buffer, long length, long peer, long targetAddress, long key,
      long context) {
    if (writeFn == null) {
      throw new IllegalStateException("this endpoint was opened without FI_RMA");
    }
    return FidOps.write(writeFn, ep, buffer, length, descriptorOf(buffer), peer, targetAddress,
        key, contexts.forOperation(context));
  }

  /**
   * Reads up to 16 completions ({@code fi_cq_read}), or one error ({@code fi_cq_readerr}), and
   * hands them to {@code handler}. Also drives the provider's progress.
   *
   * @return how many completions (or errors) were handled; 0 when none was ready
   * @throws FabricCallException fi_cq_read failed other than with EAGAIN/EAVAIL
   */
  public int poll(CompletionHandler handler) throws FabricCallException {
    long read = FidOps.cqRead(cqReadFn, cq, entries, BATCH);
    if (read > 0) {
      for (int i = 0; i < read; i++) {
        long base = i * ENTRY_BYTES;
        handler.onCompletion(
            contexts.operation(entries.get(ADDRESS, base + ENTRY_CONTEXT).address()),
            entries.get(JAVA_LONG, base + ENTRY_FLAGS),
            entries.get(JAVA_LONG, base + ENTRY_LENGTH));
      }
      return (int) read;
    }
    if (read == -FiStructs.FI_EAGAIN) {
      return 0;
    }
    if (read == -FiStructs.FI_EAVAIL) {
      return readError(handler);
    }
    throw new FabricCallException("fi_cq_read", (int) -read, library.strerror((int) -read));
  }

  private int readError(CompletionHandler handler) throws FabricCallException {
    // err_data_size 0 lets the provider point err_data at its own buffer; zero it every time.
    errorEntry.fill((byte) 0);
    long read = FidOps.cqRead(cqReadErrFn, cq, errorEntry, 0);
    if (read == -FiStructs.FI_EAGAIN) {
      return 0;
    }
    if (read < 0) {
      throw new FabricCallException("fi_cq_readerr", (int) -read,
          library.strerror((int) -read));
    }
    int errno = errorEntry.get(JAVA_INT, FiStructs.offset(FiStructs.CQ_ERR_ENTRY, "err"));
    int providerErrno =
        errorEntry.get(JAVA_INT, FiStructs.offset(FiStructs.CQ_ERR_ENTRY, "prov_errno"));
    handler.onError(
        contexts.operation(errorEntry.get(ADDRESS,
            FiStructs.offset(FiStructs.CQ_ERR_ENTRY, "op_context")).address()),
        errorEntry.get(JAVA_LONG, FiStructs.offset(FiStructs.CQ_ERR_ENTRY, "flags")),
        errno,
        library.strerror(errno) + " (provider error " + providerErrno + ")");
    return 1;
  }

  /**
   * Closes the fids in the reverse order of opening, frees the fi_getinfo list and closes the
   * arena. Every step runs even when one fails; idempotent.
   *
   * @throws IllegalStateException naming the first fi_close that failed, after all ran
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    String firstFailure = null;
    while (!openFids.isEmpty()) {
      MemorySegment fid = openFids.pop();
      try {
        int rc = FidOps.close(fid);
        if (rc != 0 && firstFailure == null) {
          firstFailure = "fi_close: " + rc + " " + library.strerror(-rc);
        }
      } catch (FabricCallException | RuntimeException e) {
        if (firstFailure == null) {
          firstFailure = e.getMessage();
        }
      }
    }
    if (infos != null) {
      infos.close();
    }
    arena.close();
    if (firstFailure != null) {
      throw new IllegalStateException(firstFailure);
    }
  }
}
