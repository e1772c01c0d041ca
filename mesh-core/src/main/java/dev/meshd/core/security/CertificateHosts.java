package dev.meshd.core.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which hosts a certificate names in its subject alternative names, checked the way TLS clients
 * check a server's name (RFC 6125): an IP host against {@code IP:} entries (compared as
 * addresses, so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one), a host name against {@code
 * DNS:} entries, case-insensitively, a leading {@code *.} matching exactly one label. The CN is
 * not a name here, as in every current client. Nothing is resolved: a name and an IP never
 * match each other. Stateless.
 */
public final class CertificateHosts {

  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private CertificateHosts() {}

  /** True if {@code certificate}'s subject alternative names include {@code host}. */
  public static boolean names(X509Certificate certificate, String host) {
    byte[] hostAddress = ipLiteral(host);
    for (List<?> entry : alternativeNames(certificate)) {
      int type = (Integer) entry.get(0);
      String value = String.valueOf(entry.get(1));
      if (hostAddress != null && type == IP_ADDRESS
          && java.util.Arrays.equals(hostAddress, ipLiteral(value))) {
        return true;
      }
      if (hostAddress == null && type == DNS_NAME && dnsMatches(value, host)) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code host} is an IPv4 or IPv6 literal (so a certificate names it as {@code IP:}). */
  public static boolean isIpLiteral(String host) {
    return ipLiteral(host) != null;
  }

  /** The certificate's DNS and IP names as {@code DNS:x} and {@code IP:y}, for messages. */
  public static List<String> describe(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    for (List<?> entry : alternativeNames(certificate)) {
      int type = (Integer) entry.get(0);
      if (type == DNS_NAME) {
        names.add("DNS:" + entry.get(1));
      } else if (type == IP_ADDRESS) {
        names.add("IP:" + entry.get(1));
      }
    }
    return names;
  }

  private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) {
      // An unreadable extension names nothing; the chain check has accepted the rest.
      return List.of();
    }
  }

  private static boolean dnsMatches(String pattern, String host) {
    String p = stripDot(pattern.toLowerCase(Locale.ROOT));
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return p.equals(h);
    }
    int firstDot = h.indexOf('.');
    return firstDot > 0 && h.substring(firstDot).equals(p.substring(1));
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** The address an IP literal stands for; null for anything else (never a DNS lookup). */
  private static byte[] ipLiteral(String text) {
    String s = text.startsWith("[") && text.endsWith("]")
        ? text.substring(1, text.length() - 1) : text;
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      String[] octets = s.split("\\.");
      byte[] address = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(octets[i]);
        if (octet > 255) {
          return null;
        }
        address[i] = (byte) octet;
      }
      return address;
    }
    if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      // A string with a colon is parsed as an IPv6 literal by the JDK, never looked up.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
