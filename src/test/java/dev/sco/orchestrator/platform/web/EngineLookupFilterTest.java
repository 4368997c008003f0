package dev.sco.orchestrator.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The engine REST's per-request provider lookup is answered from memory with the same content. */
class EngineLookupFilterTest {

    @Test
    void providerServiceFileIsSearchedOnceAndServedWithTheSameBytes() throws Exception {
        ClassLoader application = getClass().getClassLoader();
        AtomicInteger searches = new AtomicInteger();
        ClassLoader counting = new ClassLoader(application) {
            @Override
            public java.util.Enumeration<URL> getResources(String name) throws IOException {
                if (EngineLookupFilter.PROVIDER_SERVICE.equals(name)) {
                    searches.incrementAndGet();
                }
                return super.getResources(name);
            }
        };
        EngineLookupFilter.CachingLoader loader = new EngineLookupFilter.CachingLoader(counting);

        List<String> first = contents(loader);
        List<String> second = contents(loader);

        assertThat(first).isNotEmpty().isEqualTo(contents(application)).isEqualTo(second);
        assertThat(searches).hasValue(1);
        // Everything else is the application's loader's answer.
        assertThat(Collections.list(loader.getResources("application.yaml")))
                .isEqualTo(Collections.list(application.getResources("application.yaml")));
        assertThat(loader.loadClass(EngineLookupFilter.class.getName())).isSameAs(EngineLookupFilter.class);
    }

    @Test
    void requestRunsWithTheCachingLoaderAndTheThreadGetsItsOwnBack() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        List<ClassLoader> seen = new ArrayList<>();
        MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                seen.add(Thread.currentThread().getContextClassLoader());
            }
        });

        new EngineLookupFilter().doFilter(new MockHttpServletRequest("POST", "/engine-rest/process-definition/key/x/start"),
                new MockHttpServletResponse(), chain);

        assertThat(seen).singleElement().isInstanceOf(EngineLookupFilter.CachingLoader.class);
        assertThat(seen.get(0).getParent()).isSameAs(before);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    private static List<String> contents(ClassLoader loader) throws IOException {
        List<String> contents = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources(EngineLookupFilter.PROVIDER_SERVICE))) {
            try (InputStream in = url.openStream()) {
                contents.add(new String(in.readAllBytes()));
            }
        }
        return contents;
    }
}
