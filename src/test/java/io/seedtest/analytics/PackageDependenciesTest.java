package io.seedtest.analytics;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.seedtest.analytics.bench.ChildJvm;
import io.seedtest.analytics.bench.CalibrationBenchmark;
import io.seedtest.analytics.bench.IrtUpdateBenchmark;
import io.seedtest.analytics.bench.LoadGenerator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package picture of docs/architecture.md ("What imports what"), checked on the compiled main
 * classes, so a use by fully qualified name counts as much as an import does.
 */
class PackageDependenciesTest {
  private static final String ROOT = "io.seedtest.analytics";
  private static JavaClasses main;

  /** The main classes' own directory (target/classes): scanning the classpath for the package took seconds. */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    main = new ClassFileImporter()
        .importPath(Path.of(Errors.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  @Test
  void storageKnowsNothingOfJobs() {
    noClasses().that().resideInAnyPackage(ROOT + ".io..", ROOT + ".run..", ROOT + ".config..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".job..")
        .check(main);
  }

  @Test
  void theRunVocabularyAndTheErrorsDependOnTheJdkOnly() {
    classes().that().resideInAnyPackage(ROOT, ROOT + ".run")
        .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".run", "java..")
        .check(main);
  }

  /**
   * No cycle among the packages. The benchmarks named here still sit in domain packages and reach
   * up into cli, bench and serve; they leave with issue 16, item 1, and with them this exception.
   */
  @Test
  void noPackageCycles() {
    DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> benchmarksInTheDomain =
        belongToAnyOf(CalibrationBenchmark.class, IrtUpdateBenchmark.class, LoadGenerator.class, ChildJvm.class);
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles()
        .ignoreDependency(benchmarksInTheDomain, DescribedPredicate.alwaysTrue())
        .check(main);
  }
}
