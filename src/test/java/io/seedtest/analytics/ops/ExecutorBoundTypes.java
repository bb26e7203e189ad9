package io.seedtest.analytics.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassVisitor;
import org.apache.xbean.asm9.Handle;
import org.apache.xbean.asm9.MethodVisitor;
import org.apache.xbean.asm9.Opcodes;

/**
 * Every type of ours that can cross from the driver to executors, found in the compiled classes
 * rather than listed by hand:
 * <ul>
 *   <li>each {@link Serializable} class (broadcast values, Spark functions, UDF state, rows of typed
 *       Datasets; Spark's function interfaces are Serializable too), exceptions aside (Spark sends
 *       those back with Java serialization only);
 *   <li>each type a serializable lambda captures (the arguments of its {@code invokedynamic}, read
 *       with the ASM that Spark's ClosureCleaner uses);
 *   <li>then, transitively, the type of every instance field (arrays, generic arguments) of those.
 * </ul>
 * Only our own package is kept: Spark, Scala and the JDK serialize their own types.
 */
final class ExecutorBoundTypes {
  static final String ROOT_PACKAGE = "io.seedtest.analytics";
  private static final String ALT_METAFACTORY = "altMetafactory";
  private static final int FLAG_SERIALIZABLE = java.lang.invoke.LambdaMetafactory.FLAG_SERIALIZABLE;

  private ExecutorBoundTypes() {}

  /** The types, by name. {@code anyClass} locates the compiled classes (target/classes). */
  static TreeMap<String, Class<?>> find(Class<?> anyClass) {
    TreeMap<String, Class<?>> found = new TreeMap<>();
    Deque<Type> todo = new ArrayDeque<>();
    Path dir = classesDir(anyClass);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = dir.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.endsWith("package-info") || name.endsWith("module-info")) {
          continue;
        }
        Class<?> c = load(name);
        if (Serializable.class.isAssignableFrom(c) && !Throwable.class.isAssignableFrom(c) && !c.isInterface()) {
          todo.add(c);
        }
        capturedBySerializableLambdas(f, todo);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    while (!todo.isEmpty()) {
      Type t = todo.pop();
      if (t instanceof ParameterizedType p) {
        todo.add(p.getRawType());
        todo.addAll(Arrays.asList(p.getActualTypeArguments()));
      } else if (t instanceof GenericArrayType a) {
        todo.add(a.getGenericComponentType());
      } else if (t instanceof WildcardType w) {
        todo.addAll(Arrays.asList(w.getUpperBounds()));
      } else if (t instanceof Class<?> c) {
        Class<?> base = c;
        while (base.isArray()) {
          base = base.getComponentType();
        }
        if (base.getName().startsWith(ROOT_PACKAGE + ".") && found.put(base.getName(), base) == null) {
          for (Class<?> k = base; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field field : k.getDeclaredFields()) {
              int m = field.getModifiers();
              if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                todo.add(field.getGenericType());
              }
            }
          }
        }
      }
    }
    return found;
  }

  /** Adds the captured argument types of every serializable lambda in the class file {@code f}. */
  private static void capturedBySerializableLambdas(Path f, Deque<Type> todo) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
          return new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitInvokeDynamicInsn(String lambda, String indyDesc, Handle bootstrap, Object... args) {
              // javac bootstraps serializable lambdas with altMetafactory, flags (4th argument) bit 1.
              if (ALT_METAFACTORY.equals(bootstrap.getName()) && args.length > 3 && args[3] instanceof Integer flags
                  && (flags & FLAG_SERIALIZABLE) != 0) {
                for (org.apache.xbean.asm9.Type arg : org.apache.xbean.asm9.Type.getArgumentTypes(indyDesc)) {
                  if (arg.getSort() == org.apache.xbean.asm9.Type.OBJECT
                      || arg.getSort() == org.apache.xbean.asm9.Type.ARRAY) {
                    String n = arg.getSort() == org.apache.xbean.asm9.Type.ARRAY
                        ? arg.getElementType().getClassName() : arg.getClassName();
                    if (n.startsWith(ROOT_PACKAGE + ".")) {
                      todo.add(load(n));
                    }
                  }
                }
              }
            }
          };
        }
      }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
  }

  private static Path classesDir(Class<?> anyClass) {
    try {
      return Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ExecutorBoundTypes.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
