package org.jbitcoind.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jbitcoind.node.rpc.CoreJson;
import org.jbitcoind.node.rpc.Json;
import org.jbitcoind.node.rpc.RpcErrorCode;

/**
 * jbitcoin-cli: sends one JSON-RPC call to jbitcoind (or to Bitcoin Core: the protocol and the datadir layout
 * are the same) with bitcoin-cli's options, and prints the result as bitcoin-cli does: strings bare, other
 * JSON pretty-printed with two spaces, nothing for null; errors go to stderr as "error code: N" / "error
 * message:" with exit status |N|, client-side failures as "error: ..." with status 1.
 */
public final class JbitcoinCli {

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream stdin;
    private final Duration retryPause;

    JbitcoinCli(InputStream stdin, PrintStream out, PrintStream err, Duration retryPause) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.retryPause = retryPause;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the client with the given streams; returns the process exit status. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        return new JbitcoinCli(stdin, out, err, Duration.ofSeconds(1)).execute(args);
    }

    int execute(String[] argv) {
        CliOptions options;
        try {
            options = CliOptions.parse(argv);
        } catch (CliException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (argv.length == 0 || options.flag("help") || options.flag("h") || options.flag("?")
                || options.flag("version")) {
            out.print(usage(options.flag("version")));
            if (argv.length == 0) {
                err.println("Error: too few parameters");
                return 1;
            }
            return 0;
        }
        CliSettings settings;
        try {
            settings = CliSettings.resolve(options);
        } catch (CliException e) {
            err.println(e.getMessage());
            return 1;
        }
        try {
            return commandLineRpc(options, settings);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private int commandLineRpc(CliOptions options, CliSettings settings) throws CliException {
        BufferedReader input = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String password = settings.password();
        if (options.flag("stdinrpcpass")) {
            String line = readLine(input);
            if (line == null) {
                throw new CliException("-stdinrpcpass specified but failed to read from standard input");
            }
            password = line;
        }
        List<String> args = new ArrayList<>(options.command());
        if (options.flag("stdin")) {
            String line;
            while ((line = readLine(input)) != null) {
                args.add(line);
            }
        }
        if (args.isEmpty()) {
            throw new CliException("too few parameters (need at least command)");
        }
        String method = args.get(0);
        List<String> params = args.subList(1, args.size());
        JsonNode converted = options.flag("named") ? RpcConvertTable.named(method, params)
                : RpcConvertTable.positional(method, params);
        ObjectNode request = Json.FACTORY.objectNode();
        request.put("method", method);
        request.set("params", converted);
        request.put("id", 1);
        // Core's bitcoin-cli asks for JSON-RPC 2.0 (errors then arrive with HTTP 200); older servers ignore it.
        request.put("jsonrpc", "2.0");

        JsonNode reply = callWithWait(options, settings, password, Json.write(request));
        return print(reply);
    }

    /** Core's -rpcwait loop: retry unreachable or warming-up servers once a second until the deadline. */
    private JsonNode callWithWait(CliOptions options, CliSettings settings, String password, String body)
            throws CliException {
        boolean wait = options.flag("rpcwait");
        long waitSeconds = Math.max(0, settings.waitTimeoutSeconds());
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            try {
                JsonNode reply = call(settings, password, body);
                JsonNode error = reply.get("error");
                if (wait && error != null && error.isObject()
                        && error.path("code").asInt() == RpcErrorCode.IN_WARMUP) {
                    throw new ConnectionFailedException("server in warmup");
                }
                return reply;
            } catch (ConnectionFailedException e) {
                if (wait && (waitSeconds == 0 || System.nanoTime() < deadline)) {
                    pause();
                } else {
                    throw new CliException("timeout on transient error: " + e.getMessage());
                }
            }
        }
    }

    private void pause() throws CliException {
        try {
            Thread.sleep(retryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** Core's CallRPC: one request, HTTP statuses mapped to its messages. */
    private JsonNode call(CliSettings settings, String password, String body) throws CliException {
        String userColonPassword;
        boolean noCookie = false;
        if (password == null || password.isEmpty()) {
            Optional<String> cookie = readCookie(settings.cookieFile());
            noCookie = cookie.isEmpty();
            userColonPassword = cookie.orElse("");
        } else {
            userColonPassword = settings.user() + ":" + password;
        }
        RpcHttpClient.Response response;
        try {
            response = RpcHttpClient.post(settings.host(), settings.port(), userColonPassword, body,
                    Duration.ofSeconds(settings.clientTimeoutSeconds()));
        } catch (IOException e) {
            throw new ConnectionFailedException("Could not connect to the server " + settings.host() + ":"
                    + settings.port() + "\n\nMake sure the jbitcoind server is running and that you are connecting"
                    + " to the correct RPC port.\nUse \"jbitcoin-cli -help\" for more info.");
        }
        int status = response.status();
        if (status == 401) {
            if (noCookie) {
                throw new CliException("Could not locate RPC credentials. No authentication cookie could be found,"
                        + " and RPC password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: ("
                        + settings.confFile() + ")");
            }
            throw new CliException("Authorization failed: Incorrect rpcuser or rpcpassword");
        }
        if (status == 503) {
            throw new CliException("Server response: " + response.body());
        }
        if (status >= 400 && status != 400 && status != 404 && status != 500) {
            throw new CliException("server returned HTTP error " + status);
        }
        if (response.body().isEmpty()) {
            throw new CliException("no response from server");
        }
        JsonNode reply;
        try {
            reply = Json.parse(response.body());
        } catch (JsonProcessingException e) {
            throw new CliException("couldn't parse reply from server");
        }
        if (!reply.isObject() || reply.isEmpty()) {
            throw new CliException("expected reply to have result, error and id properties");
        }
        return reply;
    }

    private static Optional<String> readCookie(Path file) {
        try {
            return Optional.of(org.jbitcoind.node.rpc.AuthCookie.read(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** bitcoin-cli's output rules; returns the exit status. */
    private int print(JsonNode reply) {
        JsonNode error = reply.get("error");
        if (error == null || error.isNull()) {
            JsonNode result = reply.get("result");
            if (result == null || result.isNull()) {
                return 0;
            }
            out.println(result.isTextual() ? result.textValue() : CoreJson.pretty(result, 2));
            return 0;
        }
        StringBuilder text = new StringBuilder();
        int status;
        if (error.isObject()) {
            JsonNode code = error.get("code");
            JsonNode message = error.get("message");
            if (code != null && !code.isNull()) {
                text.append("error code: ").append(code.isTextual() ? code.textValue() : code.toString()).append('\n');
            }
            if (message != null && message.isTextual()) {
                text.append("error message:\n").append(message.textValue());
            }
            status = code != null && code.isIntegralNumber() ? Math.abs(code.intValue()) : 1;
        } else {
            text.append("error: ").append(Json.write(error));
            status = 1;
        }
        if (status == 0) {
            status = 1; // an error must never look like success
        }
        err.println(text);
        return status;
    }

    private static String readLine(BufferedReader input) throws CliException {
        try {
            return input.readLine();
        } catch (IOException e) {
            throw new CliException("failed to read from standard input: " + e.getMessage());
        }
    }

    private static String usage(boolean versionOnly) {
        String header = "jbitcoind RPC client version 0.1.0\n";
        if (versionOnly) {
            return header;
        }
        return header + "\n"
                + "The jbitcoin-cli utility provides a command line interface to interact with a jbitcoind (or\n"
                + "Bitcoin Core) RPC server.\n\n"
                + "Usage:  jbitcoin-cli [options] <command> [params]\n"
                + "or:     jbitcoin-cli [options] -named <command> [name=value]...\n"
                + "or:     jbitcoin-cli [options] help                List commands\n"
                + "or:     jbitcoin-cli [options] help <command>      Get help for a command\n\n"
                + "Options:\n\n"
                + "  -?, -h, -help         Print this help message and exit\n"
                + "  -version              Print version and exit\n"
                + "  -conf=<file>          Properties file to read (default: <datadir>/" + CliSettings.CONF_FILE + ")\n"
                + "  -datadir=<dir>        Data directory (default: ~/" + CliSettings.DEFAULT_DATADIR + ")\n"
                + "  -named                Pass named instead of positional arguments\n"
                + "  -rpcclienttimeout=<n> Timeout in seconds during HTTP requests, or 0 for none (default: "
                + CliSettings.DEFAULT_CLIENT_TIMEOUT_SECONDS + ")\n"
                + "  -rpcconnect=<ip>      Send commands to node running on <ip> (default: 127.0.0.1)\n"
                + "  -rpccookiefile=<loc>  Location of the auth cookie (default: <datadir>/<network>/.cookie)\n"
                + "  -rpcpassword=<pw>     Password for JSON-RPC connections\n"
                + "  -rpcport=<port>       Connect to JSON-RPC on <port> (default: 8332, testnet: 18332,"
                + " testnet4: 48332, signet: 38332, regtest: 18443)\n"
                + "  -rpcuser=<user>       Username for JSON-RPC connections\n"
                + "  -rpcwait              Wait for RPC server to start\n"
                + "  -rpcwaittimeout=<n>   Timeout in seconds to wait for the RPC server to start, or 0 for no"
                + " timeout (default: 0)\n"
                + "  -stdin                Read extra arguments from standard input, one per line\n"
                + "  -stdinrpcpass         Read RPC password from standard input as a single line\n\n"
                + "Chain selection options:\n\n"
                + "  -chain=<chain>        Use the chain <chain> (main, test, testnet4, signet, regtest)\n"
                + "  -regtest              Use the regression test chain\n"
                + "  -signet               Use the signet chain\n"
                + "  -testnet              Use the testnet3 chain\n"
                + "  -testnet4             Use the testnet4 chain\n";
    }
}
