package dev.cu.flink;

/** An output record of the tests: a user and a count. */
public record Count(String user, long n) {}
