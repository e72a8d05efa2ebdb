// SPDX-License-Identifier: Apache-2.0
/**
 * OTP supervisors on coppice processes: {@link dev.coppice.supervisor.Supervisor} (Erlang's
 * {@code supervisor} with the {@code one_for_one}, {@code rest_for_one} and {@code one_for_all}
 * strategies) and {@link dev.coppice.supervisor.DynamicSupervisor} (Elixir's {@code
 * DynamicSupervisor}), built only on the public API of {@code dev.coppice.core}, as OTP's
 * supervisor is built on public BIFs and {@code gen_server}.
 *
 * <pre>{@code
 * var children = List.of(
 *     ChildSpec.worker("master", () -> GenServer.startLink(new DataMaster())),
 *     ChildSpec.worker("server", () -> GenServer.startLink(new Server()))
 *         .withRestart(Restart.TRANSIENT)
 *         .withShutdown(Shutdown.timeout(Duration.ofSeconds(5))));
 * Supervisor sup = Supervisor.startLink(SupervisorFlags.oneForOne(), children).orElseThrow();
 * }</pre>
 *
 * <h2>Thread roles</h2>
 *
 * Every management call ({@code startChild}, {@code whichChildren}, ...) may be called from any
 * thread, process or not, except the supervisor's own process. Without a timeout it waits as long
 * as the supervisor takes to answer (OTP's supervisor calls use an infinite timeout); each has an
 * overload with a timeout that throws {@link dev.coppice.core.genserver.CallTimeoutException}
 * past it. A thread interrupted while it waits in a start or a call gets {@link
 * dev.coppice.core.WaitInterruptedException} with its interrupt status set again. {@code
 * startLink} must be called from within a process, which becomes the supervisor's parent; {@code
 * start(node, ...)} may be called from any thread.
 *
 * <p>Unless otherwise specified, passing {@code null} to any method of this package throws
 * {@link NullPointerException}.
 */
package dev.coppice.supervisor;
