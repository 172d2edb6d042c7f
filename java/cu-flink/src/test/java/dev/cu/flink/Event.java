package dev.cu.flink;

/** An event of the tests: a user and an amount. */
public record Event(String user, long amount) {}
