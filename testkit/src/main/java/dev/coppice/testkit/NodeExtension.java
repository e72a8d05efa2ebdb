// SPDX-License-Identifier: Apache-2.0
package dev.coppice.testkit;

import dev.coppice.core.AttachedProcess;
import dev.coppice.core.Node;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link Node} and makes the test thread a process of it (as ExUnit's
 * test process), so a test can receive, link and monitor with {@link dev.coppice.core.Processes}
 * directly. After the test it closes the node and fails the test if a process thread outlived
 * it, or if an ERROR was logged that the test did not look at (see {@link LogCapture} and {@link
 * AllowErrorLogs}).
 *
 * <pre>{@code
 * @ExtendWith(NodeExtension.class)
 * class MyTest {
 *   @Test void works(Node node) { ... }
 * }
 * }</pre>
 */
public final class NodeExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NodeExtension.class);

  /** Creates the extension; JUnit does this. */
  public NodeExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    LogCapture.clear();
    Node node = Node.start();
    AttachedProcess self = node.attach();
    context.getStore(NS).put("node", node);
    context.getStore(NS).put("self", self);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Node node = context.getStore(NS).remove("node", Node.class);
    AttachedProcess self = context.getStore(NS).remove("self", AttachedProcess.class);
    if (node == null) {
      return;
    }
    try {
      if (self != null) {
        self.close();
      }
    } finally {
      node.close();
    }
    List<Thread> leaked = node.liveThreads();
    if (!leaked.isEmpty()) {
      throw new AssertionError("process threads outlived the test and ignored the kill: " + leaked);
    }
    if (context.getExecutionException().isEmpty() && !allowsErrors(context)) {
      List<LogCapture.Event> errors = LogCapture.unseenErrors();
      if (!errors.isEmpty()) {
        throw new AssertionError(
            "the test logged " + errors.size() + " ERROR event(s) it did not examine "
                + "(look at them with LogCapture, or annotate with @AllowErrorLogs): " + errors);
      }
    }
  }

  private static boolean allowsErrors(ExtensionContext context) {
    return annotated(context.getElement()) || annotated(context.getTestClass().map(c -> c));
  }

  private static boolean annotated(Optional<? extends AnnotatedElement> e) {
    return e.map(x -> x.isAnnotationPresent(AllowErrorLogs.class)).orElse(false);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Node.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return e.getStore(NS).get("node", Node.class);
  }

  /** {@return how long a test waits for a node's threads to end after closing it} */
  static Duration closeBound() {
    return Duration.ofSeconds(10);
  }
}
