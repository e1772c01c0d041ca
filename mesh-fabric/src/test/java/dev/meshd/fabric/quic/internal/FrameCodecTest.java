package dev.meshd.fabric.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @Test
  void roundTripsTypeSequenceAndPayload() throws FrameException {
    ByteBuffer payload = ByteBuffer.wrap("activations".getBytes(StandardCharsets.UTF_8));
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 42, payload);
    try {
      assertThat(wire.readableBytes()).isEqualTo(FrameCodec.HEADER_BYTES + 11);
      assertThat(payload.position()).as("payload not moved").isZero();

      Frame frame = FrameCodec.decode(wire, 1024);

      assertThat(frame.type()).isEqualTo(FrameType.DATA);
      assertThat(frame.sequence()).isEqualTo(42);
      assertThat(frame.payload().toString(StandardCharsets.UTF_8)).isEqualTo("activations");
      CRC32C crc = new CRC32C();
      crc.update("activations".getBytes(StandardCharsets.UTF_8));
      assertThat(frame.crc32c()).isEqualTo((int) crc.getValue());
      assertThat(wire.isReadable()).isFalse();
      frame.release();
    } finally {
      wire.release();
    }
  }

  @Test
  void headerLayoutIsTypeSequenceLengthCrc() {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.PING, 0x0102030405060708L,
        ByteBuffer.wrap(new byte[] {9, 9}));
    try {
      assertThat(wire.getUnsignedByte(0)).isEqualTo((short) FrameType.PING.code());
      assertThat(wire.getLong(1)).isEqualTo(0x0102030405060708L);
      assertThat(wire.getInt(9)).isEqualTo(2);
      assertThat(wire.getInt(13)).isEqualTo(FrameCodec.crc32c(wire, 17, 2));
    } finally {
      wire.release();
    }
  }

  @Test
  void emptyPayloadIsAFrame() throws FrameException {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 0, ByteBuffer.allocate(0));
    try {
      Frame frame = FrameCodec.decode(wire, 0);
      assertThat(frame.length()).isZero();
      frame.release();
    } finally {
      wire.release();
    }
  }

  @Test
  void waitsForTheWholeFrameWithoutConsuming() throws FrameException {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 1, ByteBuffer.allocate(100));
    ByteBuf partial = wire.retainedSlice(0, FrameCodec.HEADER_BYTES + 50);
    try {
      assertThat(FrameCodec.decode(partial, 1024)).isNull();
      assertThat(partial.readerIndex()).isZero();
      assertThat(FrameCodec.decode(wire.slice(0, 5), 1024)).isNull();
    } finally {
      partial.release();
      wire.release();
    }
  }

  @Test
  void oversizedFrameIsRejectedAsSoonAsTheHeaderIsIn() {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 7, ByteBuffer.allocate(2048));
    ByteBuf headerOnly = wire.slice(0, FrameCodec.HEADER_BYTES);
    try {
      assertThatThrownBy(() -> FrameCodec.decode(headerOnly, 1024))
          .isInstanceOfSatisfying(FrameException.class,
              e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.OVERSIZED))
          .hasMessage("DATA frame 7 declares 2048 payload bytes (maximum: 1024)");
    } finally {
      wire.release();
    }
  }

  @Test
  void badChecksumIsRejectedNamingTheFrame() {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.PROBE_DATA, 3, ByteBuffer.allocate(64));
    try {
      wire.setByte(FrameCodec.HEADER_BYTES + 10, 1);

      assertThatThrownBy(() -> FrameCodec.decode(wire, 1024))
          .isInstanceOfSatisfying(FrameException.class,
              e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.CHECKSUM_MISMATCH))
          .hasMessageStartingWith("PROBE_DATA frame 3: CRC32C of its 64 bytes is ");
    } finally {
      wire.release();
    }
  }

  @Test
  void unknownTypeIsMalformed() {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 0, ByteBuffer.allocate(4));
    try {
      wire.setByte(0, 99);

      assertThatThrownBy(() -> FrameCodec.decode(wire, 1024))
          .isInstanceOfSatisfying(FrameException.class,
              e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.MALFORMED))
          .hasMessageContaining("unknown frame type 99");
    } finally {
      wire.release();
    }
  }

  @Test
  void checksumSpansCompositeBuffers() throws FrameException {
    ByteBuf wire = FrameCodec.encode(ALLOC, FrameType.DATA, 5, ByteBuffer.wrap(new byte[300]));
    CompositeByteBuf pieces = Unpooled.compositeBuffer();
    pieces.addComponents(true, wire.retainedSlice(0, 30), wire.retainedSlice(30, 100),
        wire.retainedSlice(130, wire.readableBytes() - 130));
    try {
      Frame frame = FrameCodec.decode(pieces, 1024);
      assertThat(frame.length()).isEqualTo(300);
      frame.release();
    } finally {
      pieces.release();
      wire.release();
    }
  }

  @Test
  void sealWritesTheHeaderOfAPayloadWrittenInPlace() throws FrameException {
    ByteBuf frame = FrameCodec.allocate(ALLOC, 8);
    frame.setLong(FrameCodec.HEADER_BYTES, 77L);
    int crc = FrameCodec.seal(frame, FrameType.PROBE_DATA, 2);
    try {
      Frame decoded = FrameCodec.decode(frame, 8);
      assertThat(decoded.crc32c()).isEqualTo(crc);
      assertThat(decoded.payload().getLong(decoded.payload().readerIndex())).isEqualTo(77L);
      decoded.release();
    } finally {
      frame.release();
    }
  }

  @Test
  void errorFrameCarriesKindAndDetail() throws FrameException {
    ByteBuf wire = FrameCodec.encodeError(ALLOC, FrameException.Kind.CHECKSUM_MISMATCH,
        "frame 3 is bad");
    try {
      Frame frame = FrameCodec.decode(wire, 2048);
      assertThat(frame.type()).isEqualTo(FrameType.ERROR);
      assertThat(FrameCodec.errorKind(frame.payload()))
          .isEqualTo(FrameException.Kind.CHECKSUM_MISMATCH);
      assertThat(FrameCodec.errorDetail(frame.payload())).isEqualTo("frame 3 is bad");
      frame.release();
    } finally {
      wire.release();
    }
  }

  @Test
  void decoderSplitsAStreamIntoFramesWhateverTheChunking() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));
    ByteBuf stream = Unpooled.buffer();
    for (int i = 0; i < 3; i++) {
      ByteBuf one = FrameCodec.encode(ALLOC, FrameType.DATA, i, ByteBuffer.allocate(100 + i));
      stream.writeBytes(one);
      one.release();
    }
    // Seven-byte chunks: headers and payloads cut anywhere.
    while (stream.isReadable()) {
      channel.writeInbound(stream.readRetainedSlice(Math.min(7, stream.readableBytes())));
    }
    stream.release();

    for (int i = 0; i < 3; i++) {
      Frame frame = channel.readInbound();
      assertThat(frame.sequence()).isEqualTo(i);
      assertThat(frame.length()).isEqualTo(100 + i);
      frame.release();
    }
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decoderReportsABadFrameOnceAndDiscardsTheRest() {
    EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));
    ByteBuf bad = FrameCodec.encode(ALLOC, FrameType.DATA, 0, ByteBuffer.allocate(10));
    bad.setByte(FrameCodec.HEADER_BYTES, 1);
    ByteBuf good = FrameCodec.encode(ALLOC, FrameType.DATA, 1, ByteBuffer.allocate(10));

    channel.writeInbound(bad, good);

    Object first = channel.readInbound();
    assertThat(first).isInstanceOfSatisfying(FrameException.class,
        e -> assertThat(e.kind()).isEqualTo(FrameException.Kind.CHECKSUM_MISMATCH));
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }
}
