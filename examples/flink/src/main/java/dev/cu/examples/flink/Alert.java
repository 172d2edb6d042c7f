package dev.cu.examples.flink;

/** What a rule raised for a user, at the time of the event that raised it. */
public record Alert(String user, String rule, String detail, long time) {}
