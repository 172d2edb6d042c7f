package dev.cu.serve;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every Java platform has: the one place that asks for it by name. */
final class Sha256 {
  private Sha256() {}

  /** A new SHA-256 digest. */
  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** SHA-256 of {@code bytes}. */
  static byte[] of(byte[] bytes) {
    return digest().digest(bytes);
  }
}
