package dev.cu.examples.flink;

/** One thing a user did: {@code login}, {@code login_failed} or {@code purchase}, at a time. */
public record Event(String user, String type, String country, long amount, long time) {}
