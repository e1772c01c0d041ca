package dev.meshd.fabric.rdma;

import dev.meshd.fabric.libfabric.internal.RemoteTarget;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.probe.FallbackReason;
import dev.meshd.fabric.probe.ProbeFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rdma} group's endpoint data, the bytes the negotiation carries unread. Big-endian,
 * strings as {@link DataOutputStream#writeUTF}, led by a version byte:
 *
 * <pre>
 * offer  (upstream):   u8 version=1 | u8 count | count x (asked, provider, fabric, domain)
 * answer (downstream): u8 version=1 | asked, provider, fabric, domain
 *                      | u16 address length | address (fi_getname bytes)
 *                      | u64 remote key | u64 remote address of slot 0 | i32 slot bytes | i32 slots
 * </pre>
 *
 * The remote address is the region's virtual address when the provider demands
 * {@code FI_MR_VIRT_ADDR}, else 0 (an offset); the key is the provider's under
 * {@code FI_MR_PROV_KEY}, else the one requested. Stateless.
 */
public final class RdmaEndpointData {

  private static final int VERSION = 1;
  private static final int MAX_PROVIDERS = 16;

  /** What the downstream answers: the provider it chose, its address and its region. */
  public record Answer(OfferedProvider provider, byte[] address, RemoteTarget target) {
    public Answer {
      address = address.clone();
    }

    @Override
    public byte[] address() {
      return address.clone();
    }
  }

  private RdmaEndpointData() {}

  /** The upstream's offer: every provider it can open an RMA endpoint with. */
  public static EndpointData offer(List<OfferedProvider> providers) {
    if (providers.isEmpty() || providers.size() > MAX_PROVIDERS) {
      throw new IllegalArgumentException("providers: " + providers.size()
          + " (expected: 1-" + MAX_PROVIDERS + ")");
    }
    return write(out -> {
      out.writeByte(providers.size());
      for (OfferedProvider provider : providers) {
        writeProvider(out, provider);
      }
    });
  }

  /** Reads an offer. */
  public static List<OfferedProvider> readOffer(EndpointData data) throws ProbeFailure {
    return read(data, "offer", in -> {
      int count = in.readUnsignedByte();
      if (count < 1 || count > MAX_PROVIDERS) {
        throw new IOException(count + " providers (expected: 1-" + MAX_PROVIDERS + ")");
      }
      List<OfferedProvider> providers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        providers.add(readProvider(in));
      }
      return List.copyOf(providers);
    });
  }

  /** The downstream's answer. */
  public static EndpointData answer(Answer answer) {
    return write(out -> {
      writeProvider(out, answer.provider());
      byte[] address = answer.address();
      out.writeShort(address.length);
      out.write(address);
      out.writeLong(answer.target().key());
      out.writeLong(answer.target().base());
      out.writeInt(answer.target().slotBytes());
      out.writeInt(answer.target().slots());
    });
  }

  /** Reads an answer. */
  public static Answer readAnswer(EndpointData data) throws ProbeFailure {
    return read(data, "answer", in -> {
      OfferedProvider provider = readProvider(in);
      byte[] address = new byte[in.readUnsignedShort()];
      in.readFully(address);
      long key = in.readLong();
      long base = in.readLong();
      int slotBytes = in.readInt();
      int slots = in.readInt();
      if (address.length == 0 || slotBytes < 1 || slots < 1) {
        throw new IOException("address of " + address.length + " bytes, " + slots
            + " slots of " + slotBytes + " bytes (expected: an address and a region)");
      }
      return new Answer(provider, address, new RemoteTarget(key, base, slotBytes, slots));
    });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static EndpointData write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writer.write(out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory: " + e, e);
    }
    return EndpointData.of(bytes.toByteArray());
  }

  private static <T> T read(EndpointData data, String what, Reader<T> reader)
      throws ProbeFailure {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(data.toByteArray()))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IOException("version " + version + " (expected: " + VERSION + ")");
      }
      T value = reader.read(in);
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes left over");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new ProbeFailure(FallbackReason.TRANSPORT_ERROR,
          "malformed rdma " + what + " (" + data.size() + " bytes): " + e.getMessage());
    }
  }

  private static void writeProvider(DataOutputStream out, OfferedProvider provider)
      throws IOException {
    out.writeUTF(provider.asked());
    out.writeUTF(provider.provider());
    out.writeUTF(provider.fabric());
    out.writeUTF(provider.domain());
  }

  private static OfferedProvider readProvider(DataInputStream in) throws IOException {
    return new OfferedProvider(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
  }
}
