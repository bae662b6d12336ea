package org.jbitcoind.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
    @TempDir
    Path dir;
    private Path home;

    @BeforeEach
    void defaultDataDirDoesNotExistYet() {
        home = dir.resolve("home-default");
    }

    private Settings load(String... args) throws ConfigException {
        return new SettingsLoader(SettingsRegistry.daemon(), home).load(List.of(args), false);
    }

    /** Loads with -datadir=dir plus the given arguments. */
    private Settings loadIn(String... args) throws ConfigException {
        List<String> all = new ArrayList<>(List.of("-datadir=" + dir));
        all.addAll(List.of(args));
        return load(all.toArray(String[]::new));
    }

    private void writeConf(String... lines) throws IOException {
        Files.write(dir.resolve("jbitcoind.properties"), List.of(lines));
    }

    private String error(String... args) {
        return assertThrows(ConfigException.class, () -> loadIn(args)).getMessage();
    }

    @Test
    void defaultsWithNothingGiven() throws ConfigException {
        Settings s = load();
        assertEquals(Network.MAIN, s.network());
        assertEquals(home, s.baseDataDir());
        assertEquals(home, s.dataDir());
        assertEquals(8333, s.getInt("port"));
        assertEquals(8332, s.getInt("rpcport"));
        assertEquals(450, s.getInt("dbcache"));
        assertEquals(86_400, s.getLong("maxtipage"));
        assertTrue(s.getBool("listen"));
        assertTrue(s.getBool("printtoconsole"));
        assertEquals(100, s.getAmount("minrelaytxfee"));
        assertEquals(List.of(), s.getList("connect"));
        assertEquals("main", s.getString("chain"));
        assertEquals(Optional.empty(), s.configFile());
        assertFalse(s.isSet("dbcache"));
    }

    @ParameterizedTest
    @CsvSource({
        "-regtest,         REGTEST,  18444, 18443, regtest",
        "-testnet,         TESTNET3, 18333, 18332, testnet3",
        "-testnet4,        TESTNET4, 48333, 48332, testnet4",
        "-signet,          SIGNET,   38333, 38332, signet",
        "-chain=regtest,   REGTEST,  18444, 18443, regtest",
        "-chain=test,      TESTNET3, 18333, 18332, testnet3",
        "-chain=main,      MAIN,     8333,  8332,  ''",
        "--chain=testnet4, TESTNET4, 48333, 48332, testnet4"})
    void networkSelectionSetsPortsAndFolder(String arg, Network network, int port, int rpcPort, String sub)
            throws ConfigException {
        Settings s = loadIn(arg);
        assertEquals(network, s.network());
        assertEquals(port, s.getInt("port"));
        assertEquals(rpcPort, s.getInt("rpcport"));
        assertEquals(sub.isEmpty() ? dir : dir.resolve(sub), s.dataDir());
        assertEquals(network.id(), s.getString("chain"));
    }

    @Test
    void priorityIsDefaultThenFileThenCommandLine() throws Exception {
        writeConf("dbcache=1000", "maxmempool=100", "# a comment", "", "  txindex = 1  ");
        Settings s = loadIn("-dbcache=2000");
        assertEquals(2000, s.getInt("dbcache"));
        assertEquals(100, s.getInt("maxmempool"));
        assertTrue(s.getBool("txindex"));
        assertEquals(336, s.getInt("mempoolexpiry"));
        assertEquals(Optional.of(dir.resolve("jbitcoind.properties")), s.configFile());
        assertTrue(s.isSet("maxmempool"));
    }

    @Test
    void lastValueWinsForSingleKeys() throws ConfigException {
        assertEquals(700, loadIn("-dbcache=600", "-dbcache=700").getInt("dbcache"));
    }

    @Test
    void dashFormsAndNegation() throws ConfigException {
        Settings s = loadIn("--txindex", "-nolisten", "--dbcache=123", "-nopersistmempool=0", "-noprinttoconsole");
        assertTrue(s.getBool("txindex"));
        assertFalse(s.getBool("listen"));
        assertEquals(123, s.getInt("dbcache"));
        assertTrue(s.getBool("persistmempool"), "-nokey=0 is a double negative");
        assertFalse(s.getBool("printtoconsole"));
        assertTrue(s.isNegated("listen"));
    }

    @Test
    void negatedTextIsEmptyAndNegatedFormattedTextIsZero() throws ConfigException {
        Settings s = loadIn("-rpcuser=alice", "-norpcuser", "-noassumevalid", "-noblockfilterindex");
        assertEquals("", s.getString("rpcuser"));
        assertEquals("0", s.getString("assumevalid"));
        assertEquals("0", s.getString("blockfilterindex"));
        assertEquals(0, loadIn("-nomaxuploadtarget").getLong("maxuploadtarget"));
        assertEquals(0, loadIn("-nomaxtipage").getLong("maxtipage"));
    }

    @Test
    void bareKeyMeansOne() throws ConfigException {
        Settings s = loadIn("-debug", "-blockfilterindex");
        assertEquals(List.of("1"), s.getList("debug"));
        assertEquals("1", s.getString("blockfilterindex"));
    }

    @Test
    void listsAccumulateAcrossFileAndCommandLine() throws Exception {
        writeConf("addnode=10.0.0.1", "addnode=10.0.0.2");
        Settings s = loadIn("-addnode=10.0.0.3", "-debug=net", "-debug=rpc");
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), s.getList("addnode"));
        assertEquals(List.of("net", "rpc"), s.getList("debug"));
    }

    @Test
    void negatedListClearsEarlierValues() throws Exception {
        writeConf("addnode=10.0.0.1");
        Settings s = loadIn("-noaddnode", "-addnode=10.0.0.9");
        assertEquals(List.of("10.0.0.9"), s.getList("addnode"));
        Settings cleared = loadIn("-addnode=10.0.0.5", "-noaddnode");
        assertEquals(List.of(), cleared.getList("addnode"));
        assertTrue(cleared.isNegated("addnode"));
    }

    @Test
    void negatedPathDisablesIt() throws ConfigException {
        Settings s = loadIn("-regtest", "-nopid", "-nodebuglogfile");
        assertEquals(Optional.empty(), s.getPath("pid"));
        assertEquals(Optional.empty(), s.getPath("debuglogfile"));
        Settings d = loadIn("-regtest");
        assertEquals(Optional.of(dir.resolve("regtest").resolve("jbitcoind.pid")), d.getPath("pid"));
        Path abs = dir.resolve("elsewhere.pid").toAbsolutePath();
        assertEquals(Optional.of(abs), loadIn("-pid=" + abs).getPath("pid"));
    }

    @Test
    void networkScopedKeysInFile() throws Exception {
        writeConf("port=9000", "rpcport=9001", "dbcache=500", "regtest.port=18555", "regtest.dbcache=600",
                "testnet4.dbcache=700");
        Settings regtest = loadIn("-regtest");
        assertEquals(18555, regtest.getInt("port"));
        assertEquals(600, regtest.getInt("dbcache"));
        assertEquals(18443, regtest.getInt("rpcport"), "top-level rpcport applies to mainnet only");
        assertEquals(2, regtest.warnings().size());
        assertTrue(regtest.warnings().get(0).contains("-port"), regtest.warnings().get(0));
        assertTrue(regtest.warnings().get(0).contains("regtest.port"), regtest.warnings().get(0));

        Settings main = loadIn();
        assertEquals(9000, main.getInt("port"));
        assertEquals(9001, main.getInt("rpcport"));
        assertEquals(500, main.getInt("dbcache"));
        assertEquals(List.of(), main.warnings());
    }

    @Test
    void sectionsWorkLikeCoreConfSections() throws Exception {
        writeConf("dbcache=500", "[regtest]", "port=18555", "dbcache=600", "[main]", "dbcache=800");
        assertEquals(18555, loadIn("-regtest").getInt("port"));
        assertEquals(600, loadIn("-regtest").getInt("dbcache"));
        assertEquals(800, loadIn().getInt("dbcache"));
        assertEquals(500, loadIn("-signet").getInt("dbcache"));
    }

    @Test
    void scopedKeyBeatsUnscopedWhateverTheOrder() throws Exception {
        writeConf("regtest.dbcache=600", "dbcache=500");
        assertEquals(600, loadIn("-regtest").getInt("dbcache"));
    }

    @Test
    void commandLineBeatsScopedFileKey() throws Exception {
        writeConf("regtest.dbcache=600");
        assertEquals(900, loadIn("-regtest", "-dbcache=900").getInt("dbcache"));
        assertEquals(1000, loadIn("-regtest", "-regtest.dbcache=1000", "-dbcache=900").getInt("dbcache"));
    }

    @Test
    void networkFromFileAndCommandLineOverride() throws Exception {
        writeConf("regtest=1");
        assertEquals(Network.REGTEST, loadIn().network());
        assertEquals(Network.SIGNET, loadIn("-signet").network());
        assertEquals(Network.MAIN, loadIn("-chain=main").network());
    }

    @Test
    void explicitConfRelativeToDatadir() throws Exception {
        Files.writeString(dir.resolve("other.properties"), "dbcache=321\n");
        writeConf("dbcache=111");
        assertEquals(321, loadIn("-conf=other.properties").getInt("dbcache"));
        assertEquals(450, loadIn("-noconf").getInt("dbcache"));
    }

    @Test
    void datadirFromFile() throws Exception {
        Path other = Files.createDirectory(dir.resolve("data2"));
        Files.createDirectories(home);
        Files.writeString(home.resolve("jbitcoind.properties"), "datadir=" + other + "\n");
        Settings s = load("-regtest");
        assertEquals(other, s.baseDataDir());
        assertEquals(other.resolve("regtest"), s.dataDir());
    }

    @Test
    void amountsAreReadAsSatoshis() throws ConfigException {
        assertEquals(1000, loadIn("-minrelaytxfee=0.00001").getAmount("minrelaytxfee"));
        assertEquals(1, loadIn("-blockmintxfee=0.00000001").getAmount("blockmintxfee"));
        assertEquals(150_000_000, loadIn("-incrementalrelayfee=1.5").getAmount("incrementalrelayfee"));
        assertEquals(0, loadIn("-nominrelaytxfee").getAmount("minrelaytxfee"));
    }

    @Test
    void connectTurnsOffListenAndDnsseedUnlessGiven() throws ConfigException {
        Settings s = loadIn("-connect=127.0.0.1:18444");
        assertFalse(s.getBool("listen"));
        assertFalse(s.getBool("dnsseed"));
        assertFalse(s.getBool("discover"));
        Settings explicit = loadIn("-connect=127.0.0.1", "-listen=1");
        assertTrue(explicit.getBool("listen"));
        assertTrue(loadIn("-connect=0").getBool("dnsseed"), "-connect=0 connects nowhere, seeding stays");
        assertTrue(loadIn("-connect=1.2.3.4", "-bind=127.0.0.1").getBool("listen"), "-bind asks to listen");
        assertFalse(loadIn("-externalip=1.2.3.4").getBool("discover"));
    }

    @Test
    void positionalWordsForTheClient() throws ConfigException {
        Settings s = new SettingsLoader(SettingsRegistry.daemon(), home)
                .load(List.of("-regtest", "getblock", "-1", "abc"), true);
        assertEquals(List.of("getblock", "-1", "abc"), s.positional());
        assertEquals(Network.REGTEST, s.network());
    }

    @Test
    void otherToolsCanAddKeys() throws ConfigException {
        SettingsRegistry cli = SettingsRegistry.daemon().with(
                SettingDef.builder("rpcwait", SettingType.BOOL, SettingCategory.RPC).defaultValue("0")
                        .help("Wait for the server").build());
        Settings s = new SettingsLoader(cli, home).load(List.of("-rpcwait"), true);
        assertTrue(s.getBool("rpcwait"));
    }

    // ---- errors: each stops start-up with one line naming the key ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-foo                  | unknown setting -foo (see -help)",
        "--foo=1               | unknown setting -foo (see -help)",
        "-nofoo                | unknown setting -nofoo (see -help)",
        "-regtest.foo=1        | unknown setting -regtest.foo (see -help)",
        "-dbcache=abc          | invalid value for -dbcache: 'abc' (expected an integer number of MiB)",
        "-dbcache=1            | invalid value for -dbcache: '1' (expected an integer number of MiB from 4 to 1048576)",
        "-dbcache=             | invalid value for -dbcache: '' (expected an integer number of MiB)",
        "-port=70000           | invalid value for -port: '70000' (expected an integer from 0 to 65535)",
        "-listen=yes           | invalid value for -listen: 'yes' (expected 0 or 1)",
        "-nolisten=2           | invalid value for -nolisten: '2' (expected 0 or 1)",
        "-minrelaytxfee=0.000000001 | invalid value for -minrelaytxfee: '0.000000001' (expected an amount in BTC with at most 8 decimals, e.g. 0.00001)",
        "-minrelaytxfee=-1     | invalid value for -minrelaytxfee: '-1' (expected an amount in BTC with at most 8 decimals, e.g. 0.00001)",
        "-minrelaytxfee=x      | invalid value for -minrelaytxfee: 'x' (expected an amount in BTC with at most 8 decimals, e.g. 0.00001)",
        "-chain=mainnet        | invalid value for -chain: 'mainnet' (expected one of main, regtest, signet, test, testnet4)",
        "-onlynet=onion        | invalid value for -onlynet: 'onion' (expected one of ipv4, ipv6)",
        "-prune=100            | invalid value for -prune: '100' (expected 0 (keep all blocks), 1 (prune on request) or a target in MiB of at least 550)",
        "-assumevalid=abc      | invalid value for -assumevalid: 'abc' (expected 0 or a block hash of 64 hex digits)",
        "-maxtipage=-1         | invalid value for -maxtipage: '-1' (expected an integer number of seconds from 0 to 4294967295)",
        "-maxtipage=1d         | invalid value for -maxtipage: '1d' (expected an integer number of seconds)",
        "-blockfilterindex=x   | invalid value for -blockfilterindex: 'x' (expected one of 0, 1, basic)",
        "-norpcthreads         | -norpcthreads is not allowed (expected -rpcthreads=an integer number of threads)",
        "-nodatadir            | -nodatadir is not allowed (expected -datadir=a folder that exists)",
        "-regtest.datadir=/tmp | -datadir cannot be set for one network only",
        "-regtest -testnet     | invalid combination of -regtest, -testnet, -testnet4, -signet and -chain (use at most one)",
        "-chain=main -signet   | invalid combination of -regtest, -testnet, -testnet4, -signet and -chain (use at most one)",
        "-prune=550 -txindex   | -prune is incompatible with -txindex",
        "-peerblockfilters     | -peerblockfilters requires -blockfilterindex",
        "getinfo               | unexpected argument 'getinfo' (settings start with -, see -help)",
        "-conf=missing.properties | cannot read configuration file DIR/missing.properties: no such file"})
    void commandLineErrors(String args, String message) {
        assertEquals(message.replace("DIR", dir.toString()), error(args.split(" ")));
    }

    @Test
    void missingDatadirIsAnError() {
        Path missing = dir.resolve("nope");
        ConfigException e = assertThrows(ConfigException.class, () -> load("-datadir=" + missing));
        assertEquals("specified data directory \"" + missing + "\" does not exist", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo=1                 | unknown setting -foo (see -help) at FILE:2",
        "dbcache=abc           | invalid value for -dbcache: 'abc' (expected an integer number of MiB) at FILE:2",
        "dbcache               | expected key=value at FILE:2, found 'dbcache'",
        "-dbcache=5            | write 'dbcache=...' without a dash at FILE:2",
        "conf=other            | -conf can only be given on the command line (found at FILE:2)",
        "[mainnet]             | unknown section [mainnet] at FILE:2 (expected main, test, testnet4, signet or regtest)",
        "regtest=1\\ntestnet=1  | invalid combination of -regtest, -testnet, -testnet4, -signet and -chain (use at most one)",
        "foo.port=1            | unknown setting -foo.port (see -help) at FILE:2"})
    void fileErrorsNameKeyAndLine(String line, String message) throws IOException {
        writeConf("# first line", line.replace("\\n", "\n"));
        Path file = dir.resolve("jbitcoind.properties");
        assertEquals(message.replace("FILE", file.toString()), error());
    }

    @Test
    void scopedKeyForAnotherNetworkIsStillChecked() throws IOException {
        writeConf("testnet4.dbcache=lots");
        assertTrue(error("-regtest").startsWith("invalid value for -dbcache: 'lots'"));
    }

    @Test
    void explicitValuesForTheStartupLogHideSecrets() throws ConfigException {
        Settings s = load("-regtest", "-rpcpassword=hunter2", "-rpcauth=a:b$c", "-minrelaytxfee=0.00002",
                "-addnode=10.0.0.1", "-addnode=10.0.0.2", "-nolisten", "-dbcache=500");
        assertEquals(java.util.Map.of("regtest", "1", "rpcpassword", "****", "rpcauth", "****",
                "minrelaytxfee", "0.00002", "addnode", "10.0.0.1, 10.0.0.2", "listen", "0", "dbcache", "500"),
                s.explicitValues());
        assertEquals(List.of("regtest", "listen", "addnode", "rpcpassword", "rpcauth", "dbcache", "minrelaytxfee"),
                List.copyOf(s.explicitValues().keySet()), "registry (help) order");
    }

    @Test
    void gettersRejectProgrammingErrors() throws ConfigException {
        Settings s = loadIn();
        assertThrows(IllegalArgumentException.class, () -> s.getBool("nosuchkey"));
        assertThrows(IllegalArgumentException.class, () -> s.getBool("dbcache"));
        assertThrows(IllegalArgumentException.class, () -> s.getList("listen"));
    }

    /** Found by SettingsFuzzTest: a byte that is not UTF-8 gave "Input length = 1" and no line. */
    @Test
    void invalidUtf8NamesItsLine() throws IOException {
        Files.write(dir.resolve("jbitcoind.properties"),
                new byte[] {'d', 'b', 'c', 'a', 'c', 'h', 'e', '=', '1', '\r', '\n', '#', '\r', 'x', '=', (byte) 0xc3});
        String message = error();
        assertTrue(message.contains("invalid UTF-8 at " + dir.resolve("jbitcoind.properties") + ":3"), message);
    }

    @Test
    void utf8TextIsRead() throws IOException, ConfigException {
        writeConf("rpcpassword=p\u00e4ss\u20ac", "dbcache=123");
        Settings s = loadIn();
        assertEquals("p\u00e4ss\u20ac", s.getString("rpcpassword"));
        assertEquals(123, s.getInt("dbcache"));
    }

    /** Found by SettingsFuzzTest: a NUL in a path value threw InvalidPathException out of the loader. */
    @Test
    void unrepresentablePathIsAConfigError() throws IOException {
        assertTrue(error("-pid=a\u0000b").startsWith("invalid value for -pid:"), error("-pid=a\u0000b"));
        assertTrue(assertThrows(ConfigException.class, () -> load("-datadir=" + dir + "\u0000"))
                .getMessage().startsWith("invalid value for -datadir:"));
        writeConf("debuglogfile=x\u0000y");
        String message = error();
        assertTrue(message.contains("-debuglogfile") && message.contains("jbitcoind.properties:1"), message);
    }

    /**
     * A scale overflow in BigDecimal threw ArithmeticException out of the loader; a large
     * exponent (found by SettingsFuzzTest: 1E+999999 hung the loader for hours) is refused at once.
     */
    @ParameterizedTest
    @CsvSource({"1E+2147483647", "1e2147483640", "1E-2147483648", "1E-2147483647", "1E+999999", "1E+99999",
        "21000000.00000001", "-0.00000001", "0.000000001"})
    void amountWithAHugeExponentIsAConfigError(String amount) {
        assertTrue(error("-minrelaytxfee=" + amount).startsWith("invalid value for -minrelaytxfee:"));
    }

    @ParameterizedTest
    @CsvSource({"21000000, 2100000000000000", "0E+999999, 0", "1E-8, 1", "0.1E+1, 100000000", "100E-10, 1"})
    void amountsWithExponentsStillParse(String amount, long sats) throws ConfigException {
        assertEquals(sats, loadIn("-minrelaytxfee=" + amount).getAmount("minrelaytxfee"));
    }
}
