package org.jbitcoind.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root scripts ./jbitcoind and ./jbitcoin-cli, run against a copy of the repository whose
 * jar and Maven are stand-ins: they build the jar only when it is missing, pass every argument
 * through unchanged, honour JBITCOIND_JAVA_OPTS, and work from any directory.
 */
class LauncherScriptsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final long TIMEOUT_S = 60;

    @TempDir
    Path copy;
    @TempDir
    Path elsewhere;
    private Path standInJar;

    @BeforeEach
    void copyScriptsAndMakeStandIns() throws Exception {
        for (String script : List.of("jbitcoind", "jbitcoin-cli")) {
            assertTrue(Files.isExecutable(REPO.resolve(script)), script + " is executable");
            Files.copy(REPO.resolve(script), copy.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        standInJar = buildStandInJar(elsewhere.resolve("classes"));
        // A stand-in mvn that records its arguments and "builds" the jar.
        Path bin = Files.createDirectories(copy.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\n"
                + "echo \"$PWD $*\" >> '" + copy.resolve("mvn-calls.txt") + "'\n"
                + "mkdir -p node/target && cp '" + standInJar + "' node/target/jbitcoind.jar\n");
        assertTrue(mvn.toFile().setExecutable(true));
    }

    @Test
    void daemonScriptBuildsOnceAndPassesArgumentsThrough() throws Exception {
        Run first = run("jbitcoind", "-regtest", "-datadir=/tmp/with space", "");
        assertEquals(0, first.status, first.err);
        assertEquals("daemon [-regtest] [-datadir=/tmp/with space] [] opt=on\n", first.out);
        assertTrue(first.err.contains("Building"), first.err);
        assertEquals(List.of(copy + " -q -DskipTests package -pl node -am"),
                Files.readAllLines(copy.resolve("mvn-calls.txt")));

        Run second = run("jbitcoind", "-version");
        assertEquals("daemon [-version] opt=on\n", second.out);
        assertEquals(1, Files.readAllLines(copy.resolve("mvn-calls.txt")).size(), "no rebuild when the jar exists");
    }

    @Test
    void clientScriptRunsTheClientClassFromTheSameJar() throws Exception {
        Run run = run("jbitcoin-cli", "-regtest", "getblockhash", "0");
        assertEquals(0, run.status, run.err);
        assertEquals("cli [-regtest] [getblockhash] [0] opt=on\n", run.out);
        assertTrue(Files.exists(copy.resolve("node/target/jbitcoind.jar")));
    }

    @Test
    void daemonHeapAndCollectorFollowDbcacheUnlessXmxIsGiven() throws Exception {
        run("jbitcoind", "-version"); // builds the stand-in jar
        // Defaults: -dbcache=450 + -maxmempool=300 + 768 MiB, serial collector up to 2 GiB.
        // On a JDK without the native-heap trimmer the options are exactly these.
        String defaults = runWithJdk(fakeJdk("17.0.8"), "-Djb.opt=on", "jbitcoind", "-regtest", "jvmargs").out;
        assertTrue(defaults.contains("-Xms64m -Xmx1518m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djb.opt=on"),
                defaults);
        assertTrue(defaults.startsWith("daemon [-regtest] [jvmargs]"), defaults);
        String small = runWithOpts("", "jbitcoind", "-dbcache=100", "-maxmempool=50", "jvmargs").out;
        assertTrue(small.contains("-Xmx918m -XX:+UseSerialGC"), small);
        // A large cache: at least dbcache / 0.7 so the node does not shrink it, and G1.
        String large = runWithOpts("", "jbitcoind", "-dbcache=4000", "jvmargs").out;
        assertTrue(large.contains("-Xmx5778m -XX:+UseG1GC"), large);
        // An explicit -Xmx wins and no defaults are added.
        String own = runWithOpts("-Xmx40m -Djb.opt=on", "jbitcoind", "-dbcache=100", "jvmargs").out;
        assertTrue(own.contains(" jvm: -Xmx40m -Djb.opt=on opt=on"), own);
    }

    @Test
    void daemonTrimsTheNativeHeapOnlyOnJdksThatHaveTheFlag() throws Exception {
        run("jbitcoind", "-version"); // builds the stand-in jar
        String trim = "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000";
        for (String tooOld : List.of("17", "17.0.9", "18.0.2", "20.0.2", "21", "21.0.1", "1.8.0_402")) {
            Run run = runWithJdk(fakeJdk(tooOld), "", "jbitcoind", "jvmargs");
            assertEquals(0, run.status, tooOld + ": " + run.err);
            assertFalse(run.out.contains("TrimNativeHeapInterval"), tooOld + ": " + run.out);
        }
        // A JDK whose version cannot be read gets no flag either.
        Path unknown = fakeJdk("17.0.15");
        Files.delete(unknown.getParent().getParent().resolve("release"));
        assertFalse(runWithJdk(unknown, "", "jbitcoind", "jvmargs").out.contains("TrimNativeHeapInterval"));
        // The JDK running this test: the flag exactly when the rule says so, and the JVM starts with it.
        String real = System.getProperty("java.version");
        Run run = runWithJdk(fakeJdk(real), "-Djb.opt=on", "jbitcoind", "jvmargs");
        assertEquals(0, run.status, run.err);
        Runtime.Version v = Runtime.version();
        boolean hasFlag = v.feature() >= 22 || (v.feature() == 21 && v.update() >= 2)
                || (v.feature() == 17 && v.update() >= 10);
        assertEquals(hasFlag, run.out.contains("-XX:+ExitOnOutOfMemoryError " + trim + " -Djb.opt=on"), run.out);
        // An explicit -Xmx means no defaults at all, the trimmer included.
        String own = runWithJdk(fakeJdk(real), "-Xmx40m", "jbitcoind", "jvmargs").out;
        assertFalse(own.contains("TrimNativeHeapInterval"), own);
    }

    @Test
    void exitStatusIsTheProgramsOwn() throws Exception {
        assertEquals(3, run("jbitcoind", "exit3").status);
    }

    private record Run(int status, String out, String err) {
    }

    private Run run(String script, String... args) throws Exception {
        return runWithOpts("-Djb.opt=on -Xmx32m", script, args);
    }

    private Run runWithOpts(String javaOpts, String script, String... args) throws Exception {
        return runWithJdk(null, javaOpts, script, args);
    }

    /**
     * A stand-in JDK: bin/java runs the JVM of this test, and the release file next to bin says
     * {@code version}, which is what the launcher reads to decide on version-dependent options.
     */
    private Path fakeJdk(String version) throws IOException {
        Path home = Files.createDirectories(copy.resolve("jdk-" + version));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(java, "#!/usr/bin/env bash\nexec '" + realJava + "' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        return java;
    }

    /** Runs a script with {@code java} (if not null) first on the PATH. */
    private Run runWithJdk(Path java, String javaOpts, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(copy.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(elsewhere.toFile());
        String path = copy.resolve("bin") + ":" + System.getenv("PATH");
        pb.environment().put("PATH", java == null ? path : java.getParent() + ":" + path);
        pb.environment().put("JBITCOIND_JAVA_OPTS", javaOpts);
        Path out = elsewhere.resolve("out.txt");
        Path err = elsewhere.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), script + " finished in time");
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** A jar whose main class prints its arguments, plus a stand-in client class. */
    private static Path buildStandInJar(Path classes) throws IOException {
        Path src = Files.createDirectories(classes.resolve("src"));
        String body = "public static void main(String[] a) {"
                + " if (a.length == 1 && a[0].equals(\"exit3\")) System.exit(3);"
                + " StringBuilder b = new StringBuilder(%s);"
                + " for (String s : a) b.append(\" [\").append(s).append(\"]\");"
                + " if (a.length > 0 && a[a.length - 1].equals(\"jvmargs\")) b.append(\" jvm: \").append(String.join(\" \", "
                + "java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));"
                + " System.out.println(b + \" opt=\" + System.getProperty(\"jb.opt\")); } }";
        Path daemon = Files.writeString(src.resolve("Echo.java"),
                "package standin; public class Echo { " + body.formatted("\"daemon\""));
        Path cli = Files.writeString(src.resolve("JbitcoinCli.java"),
                "package org.jbitcoind.node.cli; public class JbitcoinCli { " + body.formatted("\"cli\""));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), daemon.toString(), cli.toString());
        assertEquals(0, rc, "stand-in classes compile");

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "standin.Echo");
        Path jar = classes.resolve("standin.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String entry : List.of("standin/Echo.class", "org/jbitcoind/node/cli/JbitcoinCli.class")) {
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(classes.resolve(entry)));
                out.closeEntry();
            }
        }
        return jar;
    }
}
