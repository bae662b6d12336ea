package org.jbitcoind.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * One HTTP/1.1 POST per connection, as bitcoin-cli sends it ("Connection: close", Basic auth). Plain sockets
 * keep the client free of background threads; replies are read by Content-Length or to end of stream.
 */
final class RpcHttpClient {
    /** The largest reply accepted, so a misbehaving server cannot exhaust memory. */
    private static final int MAX_REPLY_BYTES = 256 * 1024 * 1024;

    record Response(int status, String body) {
    }

    private RpcHttpClient() {
    }

    /**
     * @param timeout read timeout (Core's -rpcclienttimeout); zero means wait forever
     * @throws IOException when the server cannot be reached or closes without a reply
     */
    static Response post(String host, int port, String userColonPassword, String body, Duration timeout)
            throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String hostHeader = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String head = "POST / HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Connection: close\r\n"
                + "Content-Type: application/json\r\n"
                + "Authorization: Basic "
                + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "Content-Length: " + payload.length + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis == 0 ? 30_000 : Math.min(millis, 30_000));
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return read(new java.io.BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            throw new IOException("no response from server");
        }
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts.length > 1 ? parts[1] : "");
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + statusLine, e);
        }
        long contentLength = -1;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    contentLength = Long.parseLong(header.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length: " + header, e);
                }
            }
        }
        if (contentLength > MAX_REPLY_BYTES) {
            throw new IOException("reply too large: " + contentLength + " bytes");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long remaining = contentLength < 0 ? MAX_REPLY_BYTES : contentLength;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                break;
            }
            body.write(buffer, 0, n);
            remaining -= n;
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    /** One CRLF-terminated header line, at most 8 KiB; null at end of stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= 8192) {
                throw new IOException("HTTP header line too long");
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }
}
