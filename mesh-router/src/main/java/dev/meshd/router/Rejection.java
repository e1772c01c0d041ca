package dev.meshd.router;

/** A candidate a hard filter removed before scoring, and why (one line). */
public record Rejection(Candidate candidate, String reason) {}
