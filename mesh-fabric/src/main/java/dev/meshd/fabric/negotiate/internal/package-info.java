/** Implementation details of negotiation: deadline-bounded calls into transports. */
package dev.meshd.fabric.negotiate.internal;
