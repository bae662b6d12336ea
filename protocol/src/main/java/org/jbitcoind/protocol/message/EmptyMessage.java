package org.jbitcoind.protocol.message;

import org.jbitcoind.protocol.codec.ByteWriter;

/**
 * The messages that carry no payload: verack, getaddr, mempool (BIP35), sendheaders (BIP130),
 * filterclear (BIP37), sendaddrv2 (BIP155), wtxidrelay (BIP339).
 */
public enum EmptyMessage implements Message {
    VERACK("verack"),
    GETADDR("getaddr"),
    MEMPOOL("mempool"),
    SENDHEADERS("sendheaders"),
    FILTERCLEAR("filterclear"),
    SENDADDRV2("sendaddrv2"),
    WTXIDRELAY("wtxidrelay");

    private final String command;

    EmptyMessage(String command) {
        this.command = command;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public void write(ByteWriter w) {
    }
}
