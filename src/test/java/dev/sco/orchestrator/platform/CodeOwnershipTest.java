package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may write what, read from the production sources: the estate's tables are written only by the
 * estate's repositories, the demo estate is a guest that no production class depends on, and a
 * target database has one type.
 */
class CodeOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/sco/orchestrator");
    private static final String ESTATE = "estate/";
    private static final String DEMO = "platform/demo/";

    /** An INSERT, UPDATE or DELETE on one of the estate's own tables, however the SQL is wrapped. */
    private static final Pattern ESTATE_WRITE = Pattern.compile(
            "(?is)\\b(insert\\s+into|update|delete\\s+from)\\s+(binding|hub_pair|server|agent|agent_chain|database_endpoint)"
                    + "\\b(?!_)");

    private static Map<String, String> sources;

    @BeforeAll
    static void readSources() throws IOException {
        sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(SOURCES.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        assertThat(sources).as("production sources found").hasSizeGreaterThan(50);
    }

    @Test
    void onlyTheEstatesRepositoriesWriteTheEstatesTables() {
        List<String> writers = new ArrayList<>();
        sources.forEach((file, text) -> {
            Matcher m = ESTATE_WRITE.matcher(text);
            while (m.find()) {
                if (!file.startsWith(ESTATE)) {
                    writers.add(file + ": " + m.group().replaceAll("\\s+", " "));
                }
            }
        });
        assertThat(writers).as("writes to estate tables outside the estate package").isEmpty();
    }

    @Test
    void noProductionClassDependsOnTheDemoEstateOrNamesItsSchema() {
        List<String> offenders = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (!file.startsWith(DEMO) && (text.contains("platform.demo") || text.matches("(?s).*\\bmonitored\\.[a-z_].*"))) {
                offenders.add(file);
            }
        });
        assertThat(offenders).isEmpty();
    }

    @Test
    void aTargetDatabaseHasOneType() {
        List<String> types = sources.entrySet().stream()
                .filter(e -> e.getValue().matches("(?s).*\\b(record|class|interface)\\s+DatabaseEndpoint\\b[^A-Za-z].*"))
                .map(Map.Entry::getKey).toList();
        assertThat(types).containsExactly("platform/target/DatabaseEndpoint.java");
    }
}
