package org.manifoldlab.actors;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The guardian of a command's actor system: it spawns one child, watches it, and completes a
 * future with the child's one answer, or exceptionally when the child stops without one, so
 * the command that waits on the future never waits for ever.
 */
public final class Answer {

    private Answer() {
    }

    /**
     * @param child  the child's behaviour, given where to answer
     * @param answer completed with the first answer, or exceptionally when the child stops first
     */
    public static <T, C> Behavior<T> of(Function<ActorRef<T>, Behavior<C>> child, String name, CompletableFuture<T> answer) {
        return Behaviors.setup(ctx -> {
            ctx.watch(ctx.spawn(child.apply(ctx.getSelf()), name));
            return Behaviors.receive((context, message) -> {
                answer.complete(message);
                return Behaviors.stopped();
            }, (context, signal) -> {
                if (signal instanceof Terminated t) {  // after the answer, if any: the child's last messages come first
                    answer.completeExceptionally(new IllegalStateException(name + " stopped without an answer"
                            + (t instanceof ChildFailed f ? ": " + f.cause() : "")));
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        });
    }
}
