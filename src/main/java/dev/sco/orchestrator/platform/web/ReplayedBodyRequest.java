package dev.sco.orchestrator.platform.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body a filter has already read (to check it), served again to the next filter or
 * servlet: the bytes read first, then whatever of the body was left unread.
 */
public final class ReplayedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] read;
    private final InputStream rest;
    private ServletInputStream stream;

    /**
     * @param read the bytes already read from the body
     * @param rest the body's stream past them, or null when they are the whole body
     */
    public ReplayedBodyRequest(HttpServletRequest request, byte[] read, InputStream rest) {
        super(request);
        this.read = read;
        this.rest = rest;
    }

    @Override
    public ServletInputStream getInputStream() {
        if (stream == null) {
            InputStream in = rest == null ? new ByteArrayInputStream(read)
                    : new SequenceInputStream(new ByteArrayInputStream(read), rest);
            stream = new ServletInputStream() {
                private boolean finished;

                @Override
                public boolean isFinished() {
                    return finished;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    // Served from memory (and then the rest as it arrives): available at once.
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    finished = b < 0;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    finished = n < 0;
                    return n;
                }
            };
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        return new BufferedReader(new InputStreamReader(getInputStream(),
                encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }
}
