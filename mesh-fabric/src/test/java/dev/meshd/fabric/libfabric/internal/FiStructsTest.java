package dev.meshd.fabric.libfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every named member of every layout in {@link FiStructs} sits where the C compiler puts it:
 * a C program printing {@code offsetof} and {@code sizeof} against the installed headers is
 * compiled and run, and its answers compared with the layouts'. A transcription slip (a
 * forgotten padding, a {@code uint32_t} taken for a {@code size_t}) would otherwise read the
 * wrong field at run time, or crash.
 */
class FiStructsTest {

  private static final Path HEADER = Path.of("/usr/include/rdma/fabric.h");

  /** Java layout → C struct; the ops tables are transcribed only up to what meshd calls. */
  private static final Map<StructLayout, String> STRUCTS = new LinkedHashMap<>();
  private static final Set<String> PARTIAL =
      Set.of("fi_ops_domain", "fi_ops_cm", "fi_ops_msg", "fi_ops_cq", "fi_ops_av", "fi_ops_mr",
          "fi_ops_rma");

  static {
    STRUCTS.put(FiStructs.INFO, "fi_info");
    STRUCTS.put(FiStructs.FABRIC_ATTR, "fi_fabric_attr");
    STRUCTS.put(FiStructs.DOMAIN_ATTR, "fi_domain_attr");
    STRUCTS.put(FiStructs.EP_ATTR, "fi_ep_attr");
    STRUCTS.put(FiStructs.FID, "fid");
    STRUCTS.put(FiStructs.FID_FABRIC, "fid_fabric");
    STRUCTS.put(FiStructs.FID_DOMAIN, "fid_domain");
    STRUCTS.put(FiStructs.FID_EP, "fid_ep");
    STRUCTS.put(FiStructs.FID_AV, "fid_av");
    STRUCTS.put(FiStructs.FID_CQ, "fid_cq");
    STRUCTS.put(FiStructs.OPS, "fi_ops");
    STRUCTS.put(FiStructs.OPS_FABRIC, "fi_ops_fabric");
    STRUCTS.put(FiStructs.OPS_DOMAIN, "fi_ops_domain");
    STRUCTS.put(FiStructs.OPS_CM, "fi_ops_cm");
    STRUCTS.put(FiStructs.OPS_MSG, "fi_ops_msg");
    STRUCTS.put(FiStructs.OPS_CQ, "fi_ops_cq");
    STRUCTS.put(FiStructs.OPS_AV, "fi_ops_av");
    STRUCTS.put(FiStructs.AV_ATTR, "fi_av_attr");
    STRUCTS.put(FiStructs.CQ_ATTR, "fi_cq_attr");
    STRUCTS.put(FiStructs.CQ_MSG_ENTRY, "fi_cq_msg_entry");
    STRUCTS.put(FiStructs.CQ_ERR_ENTRY, "fi_cq_err_entry");
    STRUCTS.put(FiStructs.TX_ATTR, "fi_tx_attr");
    STRUCTS.put(FiStructs.FID_MR, "fid_mr");
    STRUCTS.put(FiStructs.OPS_MR, "fi_ops_mr");
    STRUCTS.put(FiStructs.OPS_RMA, "fi_ops_rma");
  }

  @TempDir Path dir;

  @Test
  void layoutsMatchTheInstalledHeaders() throws Exception {
    Assumptions.assumeTrue(Files.exists(HEADER),
        "libfabric headers not installed (apt-get install libfabric-dev); .ci/run installs them");
    Map<String, Long> expected = new HashMap<>();
    StringBuilder c = new StringBuilder("""
        #include <stdio.h>
        #include <stddef.h>
        #include <rdma/fabric.h>
        #include <rdma/fi_domain.h>
        #include <rdma/fi_endpoint.h>
        #include <rdma/fi_eq.h>
        #include <rdma/fi_cm.h>
        #include <rdma/fi_rma.h>
        int main(void) {
        """);
    for (Map.Entry<StructLayout, String> struct : STRUCTS.entrySet()) {
      String name = struct.getValue();
      for (MemoryLayout member : struct.getKey().memberLayouts()) {
        if (member instanceof PaddingLayout || member.name().isEmpty()) {
          continue;
        }
        String field = member.name().get();
        String key = name + "." + field;
        expected.put(key, FiStructs.offset(struct.getKey(), field));
        c.append("  printf(\"%s %zu\\n\", \"").append(key).append("\", offsetof(struct ")
            .append(name).append(", ").append(field).append("));\n");
      }
      if (!PARTIAL.contains(name)) {
        expected.put(name + ".sizeof", struct.getKey().byteSize());
        c.append("  printf(\"%s %zu\\n\", \"").append(name).append(".sizeof\", sizeof(struct ")
            .append(name).append("));\n");
      }
    }
    c.append("  return 0;\n}\n");

    Map<String, Long> actual = compileAndRun(c.toString());

    assertThat(actual).isEqualTo(expected);
  }

  private Map<String, Long> compileAndRun(String source) throws Exception {
    Path file = dir.resolve("offsets.c");
    Path binary = dir.resolve("offsets");
    Files.writeString(file, source);
    String compiled = run("gcc", "-o", binary.toString(), file.toString());
    Map<String, Long> actual = new HashMap<>();
    for (String line : run(binary.toString()).lines().toList()) {
      String[] parts = line.split(" ");
      actual.put(parts[0], Long.parseLong(parts[1]));
    }
    assertThat(actual).as("gcc said: %s", compiled).isNotEmpty();
    return actual;
  }

  private static String run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort(command[0] + " cannot run (" + e.getMessage() + "): gcc is not installed");
      throw e;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s said: %s", command[0], output).isZero();
    return output;
  }
}
