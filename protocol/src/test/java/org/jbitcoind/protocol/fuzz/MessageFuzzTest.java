package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.message.UnknownMessage;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every message decoder. The first input byte picks a command from {@link FuzzCommands}, the rest
 * is its payload. A payload either fails with {@link DecodeException} or decodes, with bounded
 * allocation, to a message that encodes back to the same bytes ({@link RoundTrip}).
 */
class MessageFuzzTest {
    @FuzzTest
    void decodeMessage(byte[] input) throws DecodeException {
        if (input.length == 0) {
            return;
        }
        String command = FuzzCommands.select(input[0]);
        if (command == null) {
            return;
        }
        byte[] payload = Arrays.copyOfRange(input, 1, input.length);
        Message message;
        try {
            message = AllocationBudget.check(payload.length, () -> MessageCodec.decode(command, payload));
        } catch (DecodeException malformed) {
            return;
        }
        assertFalse(message instanceof UnknownMessage, command + " has no decoder");
        RoundTrip.assertCanonical(command, payload, message);
    }
}
