package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The operators' list of broken chains: one readable line each, cut to what a process variable holds. */
class ChainCheckListingTest {

    @Test
    void oneLinePerChain() {
        ServerFailoverService.ChainCheck check = new ServerFailoverService.ChainCheck(List.of(
                new ChainRepository.BrokenChain("agent", "mid-1", List.of("ms-1", "ms-2")),
                new ChainRepository.BrokenChain("forwarding", "ms-9", List.of("ms-1"))));

        assertThat(check.listing()).isEqualTo("""
                agent mid-1: ms-1 > ms-2 (no server Up and not failed over)
                forwarding chain of server ms-9: ms-1 (no server Up and not failed over)""");
    }

    @Test
    void aLongListIsCutAndSaysHowManyMoreThereAre() {
        List<ChainRepository.BrokenChain> broken = IntStream.range(0, 500)
                .mapToObj(i -> new ChainRepository.BrokenChain("agent", "mid-" + i, List.of("ms-1"))).toList();

        String listing = new ServerFailoverService.ChainCheck(broken).listing();

        assertThat(listing.length()).isLessThanOrEqualTo(4_000);
        assertThat(listing).startsWith("agent mid-0: ms-1").containsPattern("\\.\\.\\. and \\d+ more");
        int shown = (int) listing.lines().filter(l -> l.startsWith("agent ")).count();
        assertThat(listing).endsWith("... and " + (500 - shown) + " more (GET /api/agents/{name}/chain, "
                + "GET /api/servers/{name}/forwarding-chain)");
    }
}
