/**
 * Agent-to-agent forwarding: an agent that is not a Raft voter passes policy calls on to a
 * control agent, authenticated with the agent credential derived from the cluster key and naming
 * the original caller for the audit line. Operators' tokens are never forwarded.
 */
package dev.meshd.agent.forward;
