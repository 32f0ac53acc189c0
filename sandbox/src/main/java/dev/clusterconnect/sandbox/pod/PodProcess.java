package dev.clusterconnect.sandbox.pod;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Something running in a pod's container that exec or attach connects to. */
@FunctionalInterface
public interface PodProcess {

    /**
     * Runs to completion on a thread of its own.
     *
     * @param stdin the client's input; at end of stream when the client closed it or sent none
     * @param stdout output for the client
     * @param stderr error output for the client
     * @return the exit code
     * @throws InterruptedException when the client went away
     */
    int run(InputStream stdin, OutputStream stdout, OutputStream stderr) throws IOException, InterruptedException;
}
