/**
 * The replicated policy and placement store on Apache Ratis.
 *
 * <p>Empty in the walking skeleton: the policy-store issue fills it. It will provide the
 * {@code PolicyStore} interface of {@code mesh-core} to the router and the fabric negotiator.
 */
package dev.meshd.raft;
