package io.gridchain.protocol.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void canonicalAddressesAreLowerCaseWithPrefix() {
        assertThat(Words.canonical("0xAbCdEf0123456789aBcDeF0123456789ABCDEF01"))
                .isEqualTo("0xabcdef0123456789abcdef0123456789abcdef01");
        assertThat(Words.canonical("abcdef0123456789abcdef0123456789abcdef01"))
                .isEqualTo("0xabcdef0123456789abcdef0123456789abcdef01");
    }

    @Test
    void anythingButFortyAsciiHexDigitsIsNotAnAddress() {
        assertThatThrownBy(() -> Words.canonical("0x" + "g".repeat(40))).hasMessageContaining("not an address");
        assertThatThrownBy(() -> Words.canonical("0x" + "a".repeat(39))).hasMessageContaining("not an address");
        // an Arabic-Indic digit is a digit to Character.digit, not to an address
        assertThatThrownBy(() -> Words.canonical("0x" + "a".repeat(39) + "\u0663"))
                .hasMessageContaining("not an address");
    }
}
