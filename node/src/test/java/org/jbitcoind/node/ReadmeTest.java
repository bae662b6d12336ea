package org.jbitcoind.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's promises: the two set-up commands, CI running its test command, working links. */
class ReadmeTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String TEST_COMMAND = "mvn -q verify";

    private static String readme() throws IOException {
        return Files.readString(REPO.resolve("README.md"));
    }

    @Test
    void namesTheTwoSetUpCommands() throws IOException {
        String readme = readme();
        assertTrue(readme.contains("\n./jbitcoind -regtest "), "run command");
        assertTrue(readme.contains("\n" + TEST_COMMAND + " "), "test command");
    }

    @Test
    void ciRunsTheReadmesTestCommandVerbatim() throws IOException {
        String ci = Files.readString(REPO.resolve(".ci/run"));
        assertTrue(ci.lines().anyMatch(l -> l.strip().startsWith(TEST_COMMAND)), ".ci/run runs " + TEST_COMMAND);
    }

    @Test
    void relativeLinksPointAtFiles() throws IOException {
        Matcher m = Pattern.compile("\\]\\(([^)#:]+)\\)").matcher(readme());
        int links = 0;
        while (m.find()) {
            links++;
            assertTrue(Files.exists(REPO.resolve(m.group(1))), "README links to missing " + m.group(1));
        }
        assertTrue(links >= 4, "README links into docs/");
    }
}
