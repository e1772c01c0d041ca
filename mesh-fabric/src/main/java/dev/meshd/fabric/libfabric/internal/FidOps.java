package dev.meshd.fabric.libfabric.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libfabric calls that are static inlines in the headers, made the way those inlines make
 * them: read the object's ops table pointer, read the function pointer from the table, call it.
 * {@code fi_domain(fabric, ...)} is {@code fabric->ops->domain(fabric, ...)}, {@code fi_send(ep,
 * ...)} is {@code ep->msg->send(ep, ...)}, {@code fi_close(fid)} is
 * {@code fid->ops->close(fid)}, and so on. One address-less downcall handle per C signature
 * serves every function of that shape.
 *
 * <p>Before a function pointer is used, the table's own {@code size} field (the first member of
 * every ops table) must cover it: a provider built against older headers has a shorter table,
 * and reading past it would call garbage.
 *
 * <p>Stateless; thread-safety is libfabric's, which for the objects meshd opens
 * ({@code FI_THREAD_DOMAIN}) means one thread at a time per domain.
 */
@SuppressWarnings("restricted")
public final class FidOps {

  /** {@code FI_ENOSYS}: what a missing operation is reported as. */
  static final int FI_ENOSYS = 38;

  private static final Linker LINKER = Linker.nativeLinker();

  /** {@code int (*)(parent, attr_or_info, struct fid_x **out, void *context)}. */
  private static final MethodHandle OPEN = handle(
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
  /** {@code int (*bind)(struct fid *, struct fid *, uint64_t flags)}. */
  private static final MethodHandle BIND = handle(
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  /** {@code int (*control)(struct fid *, int command, void *arg)}. */
  private static final MethodHandle CONTROL = handle(
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
  /** {@code int (*getname)(fid_t, void *addr, size_t *addrlen)}. */
  private static final MethodHandle GETNAME = handle(
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  /** {@code int (*insert)(av, const void *addr, size_t count, fi_addr_t *, flags, context)}. */
  private static final MethodHandle AV_INSERT = handle(FunctionDescriptor.of(
      JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
  /** {@code int (*remove)(av, fi_addr_t *, size_t count, uint64_t flags)}. */
  private static final MethodHandle AV_REMOVE = handle(
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
  /** {@code ssize_t (*send|recv)(ep, buf, size_t len, void *desc, fi_addr_t, void *ctx)}. */
  private static final MethodHandle TRANSFER = handle(FunctionDescriptor.of(
      JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
  /** {@code ssize_t (*read)(cq, void *buf, size_t count)} and {@code readerr(cq, buf, flags)}. */
  private static final MethodHandle CQ_READ = handle(
      FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  /** {@code int (*reg)(fid, buf, len, access, offset, requested_key, flags, fid_mr **, ctx)}. */
  private static final MethodHandle MR_REG = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS,
      ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
  /** {@code ssize_t (*write)(ep, buf, len, desc, fi_addr_t dest, uint64_t addr, key, ctx)}. */
  private static final MethodHandle RMA_WRITE = handle(FunctionDescriptor.of(JAVA_LONG,
      ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
  /** {@code int (*close)(struct fid *)}. */
  private static final MethodHandle CLOSE = handle(FunctionDescriptor.of(JAVA_INT, ADDRESS));

  private FidOps() {}

  /**
   * The function pointer {@code opsLayout.function} of the ops table that {@code object}'s
   * member {@code opsField} points to, e.g. ({@code ep}, {@code FID_EP}, {@code "msg"},
   * {@code OPS_MSG}, {@code "send"}) for {@code ep->msg->send}.
   *
   * @throws FabricCallException {@code FI_ENOSYS} when the table is absent, too short, or has
   *     no such function
   */
  public static MemorySegment function(MemorySegment object, StructLayout objectLayout,
      String opsField, StructLayout opsLayout, String function) throws FabricCallException {
    MemorySegment self = object.reinterpret(objectLayout.byteSize());
    MemorySegment ops = self.get(ADDRESS, FiStructs.offset(objectLayout, opsField));
    String what = opsField + "->" + function;
    if (ops.equals(MemorySegment.NULL)) {
      throw missing(what, "the object has no " + opsField + " ops table");
    }
    long offset = FiStructs.offset(opsLayout, function);
    long size = ops.reinterpret(Long.BYTES).get(JAVA_LONG, 0);
    if (size < offset + ADDRESS.byteSize()) {
      throw missing(what, "the provider's table is " + size + " bytes (expected: at least "
          + (offset + ADDRESS.byteSize()) + ")");
    }
    MemorySegment pointer = ops.reinterpret(offset + ADDRESS.byteSize()).get(ADDRESS, offset);
    if (pointer.equals(MemorySegment.NULL)) {
      throw missing(what, "the provider left it NULL");
    }
    return pointer;
  }

  /** The {@code struct fid}'s own {@code fi_ops} function {@code function}, e.g. close. */
  public static MemorySegment fidFunction(MemorySegment fid, String function)
      throws FabricCallException {
    return function(fid, FiStructs.FID, "ops", FiStructs.OPS, function);
  }

  /**
   * Calls an opener ({@code fi_domain}, {@code fi_av_open}, {@code fi_cq_open},
   * {@code fi_endpoint}) and returns the new object.
   */
  public static MemorySegment open(String name, MemorySegment function, MemorySegment parent,
      MemorySegment argument, FabricLibrary library) throws FabricCallException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment out = call.allocate(ADDRESS);
      int rc = (int) OPEN.invokeExact(function, parent, argument, out, MemorySegment.NULL);
      check(library, name, rc);
      return out.get(ADDRESS, 0);
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(name + ": " + t, t);
    }
  }

  /** {@code fi_ep_bind(ep, bfid, flags)}: {@code ep->fid.ops->bind(&ep->fid, bfid, flags)}. */
  public static void bind(FabricLibrary library, MemorySegment ep, MemorySegment bound,
      long flags) throws FabricCallException {
    bind(library, "fi_ep_bind", ep, bound, flags);
  }

  /**
   * {@code fid->ops->bind(fid, bfid, flags)}: {@code fi_ep_bind}, or {@code fi_mr_bind} of a
   * memory region to an endpoint, named {@code name} in errors.
   */
  public static void bind(FabricLibrary library, String name, MemorySegment fid,
      MemorySegment bound, long flags) throws FabricCallException {
    MemorySegment function = fidFunction(fid, "bind");
    try {
      check(library, name, (int) BIND.invokeExact(function, fid, bound, flags));
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(name + ": " + t, t);
    }
  }

  /** {@code fi_enable(ep)}: {@code ep->fid.ops->control(&ep->fid, FI_ENABLE, NULL)}. */
  public static void enable(FabricLibrary library, MemorySegment ep)
      throws FabricCallException {
    enable(library, "fi_enable", ep);
  }

  /** {@code fid->ops->control(fid, FI_ENABLE, NULL)}: {@code fi_enable}, {@code fi_mr_enable}. */
  public static void enable(FabricLibrary library, String name, MemorySegment fid)
      throws FabricCallException {
    MemorySegment function = fidFunction(fid, "control");
    try {
      check(library, name,
          (int) CONTROL.invokeExact(function, fid, FiStructs.FI_ENABLE, MemorySegment.NULL));
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(name + ": " + t, t);
    }
  }

  /**
   * {@code fi_mr_reg(domain, buf, len, access, 0, requested_key, 0, &mr, NULL)}:
   * {@code domain->mr->reg(&domain->fid, ...)}. Returns the new {@code fid_mr}.
   */
  public static MemorySegment mrReg(FabricLibrary library, MemorySegment domain,
      MemorySegment buffer, long access, long requestedKey) throws FabricCallException {
    MemorySegment function = function(domain, FiStructs.FID_DOMAIN, "mr", FiStructs.OPS_MR,
        "reg");
    try (Arena call = Arena.ofConfined()) {
      MemorySegment out = call.allocate(ADDRESS);
      int rc = (int) MR_REG.invokeExact(function, domain, buffer, buffer.byteSize(), access,
          0L, requestedKey, 0L, out, MemorySegment.NULL);
      check(library, "fi_mr_reg", rc);
      return out.get(ADDRESS, 0);
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_mr_reg: " + t, t);
    }
  }

  /**
   * {@code fi_write(ep, buf, len, desc, dest, addr, key, ctx)} through {@code ep->rma->write},
   * read once with {@link #function}: 0, or a negative error such as {@code -FI_EAGAIN}.
   */
  public static long write(MemorySegment function, MemorySegment ep, MemorySegment buffer,
      long length, MemorySegment descriptor, long destination, long address, long key,
      MemorySegment context) {
    try {
      return (long) RMA_WRITE.invokeExact(function, ep, buffer, length, descriptor,
          destination, address, key, context);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_write: " + t, t);
    }
  }

  /** {@code fi_getname(&ep->fid, addr, &len)}: {@code ep->cm->getname}. */
  public static byte[] getname(FabricLibrary library, MemorySegment ep)
      throws FabricCallException {
    MemorySegment function = function(ep, FiStructs.FID_EP, "cm", FiStructs.OPS_CM, "getname");
    try (Arena call = Arena.ofConfined()) {
      // Socket addresses are 16 or 28 bytes, IB and EFA ones tens: 1 KiB is ample.
      long capacity = 1024;
      MemorySegment name = call.allocate(capacity);
      MemorySegment length = call.allocate(JAVA_LONG);
      length.set(JAVA_LONG, 0, capacity);
      check(library, "fi_getname", (int) GETNAME.invokeExact(function, ep, name, length));
      long used = length.get(JAVA_LONG, 0);
      if (used <= 0 || used > capacity) {
        throw new FabricCallException("fi_getname", 22, "returned a length of " + used);
      }
      return name.asSlice(0, used).toArray(JAVA_BYTE);
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_getname: " + t, t);
    }
  }

  /**
   * {@code fi_av_insert(av, addr, 1, &fi_addr, FI_SYNC_ERR, &err)}: the peer's
   * {@code fi_addr_t}, or the error libfabric reported for it.
   */
  public static long avInsert(FabricLibrary library, MemorySegment function, MemorySegment av,
      byte[] address) throws FabricCallException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment addr = call.allocateFrom(JAVA_BYTE, address);
      MemorySegment fiAddr = call.allocate(JAVA_LONG);
      MemorySegment error = call.allocate(JAVA_INT);
      int inserted = (int) AV_INSERT.invokeExact(function, av, addr, 1L, fiAddr,
          FiStructs.FI_SYNC_ERR, error);
      check(library, "fi_av_insert", inserted);
      if (inserted != 1 || fiAddr.get(JAVA_LONG, 0) == FiStructs.FI_ADDR_NOTAVAIL) {
        // 99, EADDRNOTAVAIL, is what libfabric's IP address vectors report for a bad address.
        int errno = Math.abs(error.get(JAVA_INT, 0));
        int reported = errno == 0 ? 99 : errno;
        throw new FabricCallException("fi_av_insert", reported, library.strerror(reported));
      }
      return fiAddr.get(JAVA_LONG, 0);
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_av_insert: " + t, t);
    }
  }

  /** {@code fi_av_remove(av, &fi_addr, 1, 0)}. */
  public static void avRemove(FabricLibrary library, MemorySegment function, MemorySegment av,
      long fiAddr) throws FabricCallException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment addr = call.allocateFrom(JAVA_LONG, fiAddr);
      check(library, "fi_av_remove", (int) AV_REMOVE.invokeExact(function, av, addr, 1L, 0L));
    } catch (FabricCallException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_av_remove: " + t, t);
    }
  }

  /** {@code fi_close(fid)}: {@code fid->ops->close(fid)}; returns the (negative) error. */
  public static int close(MemorySegment fid) throws FabricCallException {
    MemorySegment function = fidFunction(fid, "close");
    try {
      return (int) CLOSE.invokeExact(function, fid);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_close: " + t, t);
    }
  }

  /**
   * {@code fi_send} or {@code fi_recv} through a function pointer read once with
   * {@link #function}: returns 0, or a negative error such as {@code -FI_EAGAIN}.
   */
  public static long transfer(MemorySegment function, MemorySegment ep, MemorySegment buffer,
      long length, MemorySegment descriptor, long address, MemorySegment context) {
    try {
      return (long) TRANSFER.invokeExact(function, ep, buffer, length, descriptor,
          address, context);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_send/fi_recv: " + t, t);
    }
  }

  /**
   * {@code fi_cq_read(cq, entries, count)} or {@code fi_cq_readerr(cq, entry, flags)}: the
   * number of entries read, or a negative error ({@code -FI_EAGAIN}: none; {@code -FI_EAVAIL}:
   * an error entry waits).
   */
  public static long cqRead(MemorySegment function, MemorySegment cq, MemorySegment entries,
      long countOrFlags) {
    try {
      return (long) CQ_READ.invokeExact(function, cq, entries, countOrFlags);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("fi_cq_read: " + t, t);
    }
  }

  private static void check(FabricLibrary library, String function, int rc)
      throws FabricCallException {
    if (rc < 0) {
      throw new FabricCallException(function, -rc, library.strerror(-rc));
    }
  }

  private static FabricCallException missing(String what, String why) {
    return new FabricCallException(what, FI_ENOSYS, "Function not implemented (" + why + ")");
  }

  private static MethodHandle handle(FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(descriptor);
  }
}
