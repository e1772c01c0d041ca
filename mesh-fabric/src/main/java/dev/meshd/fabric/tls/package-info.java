/**
 * The agent's own TLS identity for fabric transports: a self-signed certificate per agent whose
 * SHA-256 fingerprint is published in the capability record and pinned by peers
 * ({@link dev.meshd.fabric.tls.AgentCertificate}).
 */
package dev.meshd.fabric.tls;
