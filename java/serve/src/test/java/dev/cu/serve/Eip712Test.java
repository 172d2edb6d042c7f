package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EIP-712 against the specification's own example (the "Mail" of its Example.js and
 * Example.sol): the type encoding, the hashes and the signature it publishes.
 */
class Eip712Test {
  static final Eip712 MAIL =
      new Eip712(
          Map.of(
              "Person",
              List.of(new Eip712.Field("name", "string"), new Eip712.Field("wallet", "address")),
              "Mail",
              List.of(
                  new Eip712.Field("from", "Person"),
                  new Eip712.Field("to", "Person"),
                  new Eip712.Field("contents", "string"))));

  static final Map<String, Object> DOMAIN =
      Map.of(
          "name", "Ether Mail",
          "version", "1",
          "chainId", 1L,
          "verifyingContract", "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");

  static final Map<String, Object> MESSAGE =
      Map.of(
          "from", Map.of("name", "Cow", "wallet", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"),
          "to", Map.of("name", "Bob", "wallet", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"),
          "contents", "Hello, Bob!");

  @Test
  void theMailExampleEncodesAndHashesAsTheSpecificationSays() {
    assertThat(MAIL.encodeType("Mail"))
        .isEqualTo("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    assertThat(Hex.prefixed(MAIL.typeHash("Mail")))
        .isEqualTo("0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
    assertThat(Hex.prefixed(MAIL.hashStruct("Mail", MESSAGE)))
        .isEqualTo("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    assertThat(Hex.prefixed(Eip712.domainSeparator(DOMAIN)))
        .isEqualTo("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    assertThat(Hex.prefixed(MAIL.digest(DOMAIN, "Mail", MESSAGE)))
        .isEqualTo("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
  }

  @Test
  void theMailExampleSignsAndRecoversAsTheSpecificationSays() {
    Wallet cow = Wallet.of(Keccak.hash("cow".getBytes(StandardCharsets.UTF_8)));
    assertThat(cow.address()).isEqualTo("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    byte[] digest = MAIL.digest(DOMAIN, "Mail", MESSAGE);
    Signature sig = cow.sign(digest);
    assertThat(sig.v()).isEqualTo(28);
    assertThat(sig.r())
        .isEqualTo(
            new BigInteger("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d", 16));
    assertThat(sig.s())
        .isEqualTo(
            new BigInteger("07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562", 16));
    assertThat(Wallet.recover(digest, sig)).isEqualTo(cow.address());
    assertThat(Wallet.recover(digest, Signature.of(sig.toString()))).isEqualTo(cow.address());
  }

  @Test
  void arraysNestedStructsAndIntegersEncodeByTheirTypes() {
    Eip712 t =
        new Eip712(
            Map.of(
                "Group",
                List.of(
                    new Eip712.Field("members", "Member[]"),
                    new Eip712.Field("tags", "string[2]"),
                    new Eip712.Field("delta", "int8"),
                    new Eip712.Field("id", "bytes4")),
                "Member",
                List.of(new Eip712.Field("who", "address"), new Eip712.Field("ok", "bool"))));
    assertThat(t.encodeType("Group"))
        .isEqualTo(
            "Group(Member[] members,string[2] tags,int8 delta,bytes4 id)Member(address who,bool ok)");
    Map<String, Object> member = Map.of("who", "0x" + "11".repeat(20), "ok", true);
    Map<String, Object> g =
        Map.of(
            "members",
            List.of(member),
            "tags",
            List.of("a", "b"),
            "delta",
            -1L,
            "id",
            "0x01020304");
    byte[] data = t.encodeData("Group", g);
    assertThat(data).hasSize(32 * 5);
    // an array: Keccak-256 of its elements' encodings
    assertThat(java.util.Arrays.copyOfRange(data, 32, 64))
        .isEqualTo(Keccak.hash(t.hashStruct("Member", member)));
    // int8 -1: 32 bytes of 0xff; bytes4: right-padded
    assertThat(Hex.prefixed(java.util.Arrays.copyOfRange(data, 96, 128)))
        .isEqualTo("0x" + "ff".repeat(32));
    assertThat(Hex.prefixed(java.util.Arrays.copyOfRange(data, 128, 160)))
        .isEqualTo("0x01020304" + "00".repeat(28));
  }

  @Test
  void valuesThatDoNotFitTheirTypesAreRefusedByName() {
    Map<String, Object> bad =
        Map.of("from", MESSAGE.get("from"), "to", MESSAGE.get("to"), "contents", 5L);
    assertThatThrownBy(() -> MAIL.hashStruct("Mail", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Mail.contents must be a string");
    assertThatThrownBy(() -> MAIL.hashStruct("Mail", Map.of("contents", "x")))
        .hasMessageContaining("is missing");
    assertThatThrownBy(
            () -> MAIL.hashStruct("Person", Map.of("name", "x", "wallet", "0x1234", "extra", "y")))
        .hasMessageContaining("Person has no field extra");
    assertThatThrownBy(() -> MAIL.hashStruct("Person", Map.of("name", "x", "wallet", "0x1234")))
        .hasMessageContaining("20 bytes");
    Eip712 ints = new Eip712(Map.of("N", List.of(new Eip712.Field("n", "uint8"))));
    assertThat(ints.encodeData("N", Map.of("n", 255L))).hasSize(64);
    assertThatThrownBy(() -> ints.encodeData("N", Map.of("n", 256L)))
        .hasMessageContaining("out of the range of uint8");
    assertThatThrownBy(() -> ints.encodeData("N", Map.of("n", -1L)))
        .hasMessageContaining("out of the range of uint8");
    assertThatThrownBy(() -> new Eip712(Map.of("N", List.of(new Eip712.Field("n", "uint7")))))
        .hasMessageContaining("unknown type uint7");
    assertThatThrownBy(() -> new Eip712(Map.of("N", List.of(new Eip712.Field("n", "Other")))))
        .hasMessageContaining("unknown type Other");
    assertThatThrownBy(() -> Eip712.domainSeparator(Map.of("name", "x", "owner", "y")))
        .hasMessageContaining("has no field owner");
  }

  @Test
  void dependenciesFollowThePrimaryTypeSortedByNameAtAnyDepth() {
    Eip712 t =
        new Eip712(
            Map.of(
                "Order",
                List.of(new Eip712.Field("zeta", "Zeta"), new Eip712.Field("items", "Item[]")),
                "Zeta",
                List.of(new Eip712.Field("alpha", "Alpha")),
                "Item",
                List.of(new Eip712.Field("id", "uint256"), new Eip712.Field("next", "Item[]")),
                "Alpha",
                List.of(new Eip712.Field("ok", "bool"))));
    assertThat(t.encodeType("Order"))
        .isEqualTo(
            "Order(Zeta zeta,Item[] items)Alpha(bool ok)Item(uint256 id,Item[] next)Zeta(Alpha"
                + " alpha)");
    assertThat(t.encodeType("Item")).isEqualTo("Item(uint256 id,Item[] next)");
    assertThatThrownBy(() -> new Eip712(Map.of("address", List.of(new Eip712.Field("a", "bool")))))
        .hasMessageContaining("cannot be named address");
  }

  @Test
  void integersAtTheEdgesOfTheirRanges() {
    Eip712 t =
        new Eip712(
            Map.of(
                "N", List.of(new Eip712.Field("u", "uint256"), new Eip712.Field("i", "int256"))));
    BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    BigInteger min = BigInteger.TWO.pow(255).negate();
    byte[] data = t.encodeData("N", Map.of("u", max, "i", min));
    assertThat(Hex.prefixed(java.util.Arrays.copyOfRange(data, 32, 64)))
        .isEqualTo("0x" + "ff".repeat(32));
    assertThat(Hex.prefixed(java.util.Arrays.copyOfRange(data, 64, 96)))
        .isEqualTo("0x80" + "00".repeat(31));
    assertThatThrownBy(() -> t.encodeData("N", Map.of("u", max.add(BigInteger.ONE), "i", 0L)))
        .hasMessageContaining("out of the range of uint256");
    assertThatThrownBy(() -> t.encodeData("N", Map.of("u", 0L, "i", min.subtract(BigInteger.ONE))))
        .hasMessageContaining("out of the range of int256");
    assertThat(t.encodeData("N", Map.of("u", "12", "i", "-3")))
        .isEqualTo(t.encodeData("N", Map.of("u", 12L, "i", -3L)));
    for (String bad : new String[] {"+1", "01", "1e3", "", "\u0661"}) {
      assertThatThrownBy(() -> t.encodeData("N", Map.of("u", bad, "i", 0L)))
          .hasMessageContaining("not a decimal integer");
    }
  }
}
