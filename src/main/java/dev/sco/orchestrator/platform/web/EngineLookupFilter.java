package dev.sco.orchestrator.platform.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The engine REST API looks its process engine up anew for every request: each resource it
 * creates runs a {@link java.util.ServiceLoader} over the thread's context class loader, which
 * searches every jar of the application for one service file (in the executable jar: every
 * nested jar, opened under a lock). Profiled under the P7 load this was about 6 % of the
 * service's CPU. For {@code /engine-rest} requests this filter sets a context class loader that
 * answers that one service file from memory, read once at the first request, and delegates
 * everything else unchanged to the loader the request came with. The jars of a running
 * application do not change, so the answer is the same one the search would give.
 */
public class EngineLookupFilter extends OncePerRequestFilter {

    static final String PROVIDER_SERVICE = "META-INF/services/org.camunda.bpm.engine.rest.spi.ProcessEngineProvider";

    private final Map<ClassLoader, CachingLoader> loaders = new ConcurrentHashMap<>();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        if (original == null || original instanceof CachingLoader) {
            chain.doFilter(request, response);
            return;
        }
        thread.setContextClassLoader(loaders.computeIfAbsent(original, CachingLoader::new));
        try {
            chain.doFilter(request, response);
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    /** Delegates to its parent; the provider service file alone comes from memory after the first search. */
    static final class CachingLoader extends ClassLoader {

        static {
            ClassLoader.registerAsParallelCapable();
        }

        private volatile List<URL> providers;

        CachingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (!PROVIDER_SERVICE.equals(name)) {
                return super.getResources(name);
            }
            List<URL> cached = providers;
            if (cached == null) {
                cached = copies(super.getResources(name));
                providers = cached;
            }
            return Collections.enumeration(cached);
        }

        /** Each found file as an in-memory URL with the same bytes. */
        private static List<URL> copies(Enumeration<URL> found) throws IOException {
            List<URL> copies = new ArrayList<>();
            int index = 0;
            while (found.hasMoreElements()) {
                URL url = found.nextElement();
                byte[] bytes;
                try (InputStream in = url.openStream()) {
                    bytes = in.readAllBytes();
                }
                copies.add(inMemory(index++, bytes));
            }
            return List.copyOf(copies);
        }

        @SuppressWarnings("deprecation")
        private static URL inMemory(int index, byte[] bytes) throws MalformedURLException {
            URLStreamHandler handler = new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    return new URLConnection(url) {
                        @Override
                        public void connect() {
                            connected = true;
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            };
            return new URL("memory", null, -1, "/" + index + "/" + PROVIDER_SERVICE, handler);
        }
    }
}
