/*
 * The native floor of the EM E-step (issue 17, docs/irt.md "The E-step against a native floor").
 *
 * The same work as io.seedtest.analytics.irt.ExpectedCounts#accumulateStudents, line for line:
 * per student, the log-posterior over the nodes is the log prior plus one row of log P or log Q
 * per answer; it is normalised with a max-shift and one exp per node (nodes more than 40 below
 * the mode count as 0); the normalised weights above 1e-15 are added into the answered items'
 * correct or wrong rows. Doubles throughout, no fast-math, so the sums match Java's to rounding.
 *
 * EStepFloorBenchmark writes the arrays (little-endian) and builds this with gcc -O3 -march=native:
 *   estep_floor FILE THREADS REPEATS
 * prints "best_wall_seconds best_cpu_seconds log_likelihood count_checksum" over REPEATS passes
 * (CPU seconds of the whole process: on a shared, loaded machine the fairer per-core figure).
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NEGLIGIBLE_LOG 40.0
#define NEGLIGIBLE 1e-15

static int32_t students, answers, items, nodes;
static int32_t *offsets, *item_index;
static uint8_t *correct;
static double *log_prior, *log_correct, *log_wrong;

typedef struct {
  int from, to;
  double *wrong, *right, ll;
} part;

static void *run_part(void *arg) {
  part *p = (part *) arg;
  const int n = nodes;
  double *post = malloc(sizeof(double) * n);
  memset(p->wrong, 0, sizeof(double) * (size_t) items * n);
  memset(p->right, 0, sizeof(double) * (size_t) items * n);
  double ll = 0.0;
  for (int s = p->from; s < p->to; s++) {
    const int a0 = offsets[s], a1 = offsets[s + 1];
    memcpy(post, log_prior, sizeof(double) * n);
    for (int i = a0; i < a1; i++) {
      const double *restrict row = (correct[i] ? log_correct : log_wrong) + (size_t) item_index[i] * n;
      for (int k = 0; k < n; k++) post[k] += row[k];
    }
    double max = -INFINITY;
    for (int k = 0; k < n; k++) if (post[k] > max) max = post[k];
    const double floor_ = max - NEGLIGIBLE_LOG;
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
      double x = post[k];
      double e = x < floor_ ? 0.0 : exp(x - max);
      post[k] = e;
      sum += e;
    }
    const double inv = 1.0 / sum;
    for (int k = 0; k < n; k++) post[k] *= inv;
    ll += max + log(sum);
    int lo = 0, hi = n - 1;
    while (lo < n - 1 && post[lo] < NEGLIGIBLE) lo++;
    while (hi > lo && post[hi] < NEGLIGIBLE) hi--;
    for (int i = a0; i < a1; i++) {
      double *restrict row = (correct[i] ? p->right : p->wrong) + (size_t) item_index[i] * n;
      for (int k = lo; k <= hi; k++) row[k] += post[k];
    }
  }
  p->ll = ll;
  free(post);
  return NULL;
}

static void *slurp(FILE *f, size_t bytes) {
  void *buf = malloc(bytes);
  if (fread(buf, 1, bytes, f) != bytes) { fprintf(stderr, "short read\n"); exit(2); }
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: estep_floor FILE THREADS REPEATS\n"); return 2; }
  int threads = atoi(argv[2]), repeats = atoi(argv[3]);
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  int32_t header[4];
  if (fread(header, sizeof(int32_t), 4, f) != 4) { fprintf(stderr, "short header\n"); return 2; }
  students = header[0]; answers = header[1]; items = header[2]; nodes = header[3];
  offsets = slurp(f, sizeof(int32_t) * (size_t) (students + 1));
  item_index = slurp(f, sizeof(int32_t) * (size_t) answers);
  correct = slurp(f, (size_t) answers);
  log_prior = slurp(f, sizeof(double) * (size_t) nodes);
  log_correct = slurp(f, sizeof(double) * (size_t) items * nodes);
  log_wrong = slurp(f, sizeof(double) * (size_t) items * nodes);
  fclose(f);

  part *parts = calloc(threads, sizeof(part));
  pthread_t *ids = calloc(threads, sizeof(pthread_t));
  for (int t = 0; t < threads; t++) {
    parts[t].from = (int) ((int64_t) students * t / threads);
    parts[t].to = (int) ((int64_t) students * (t + 1) / threads);
    parts[t].wrong = malloc(sizeof(double) * (size_t) items * nodes);
    parts[t].right = malloc(sizeof(double) * (size_t) items * nodes);
  }
  double best = INFINITY, best_cpu = INFINITY, ll = 0.0, checksum = 0.0;
  for (int r = 0; r < repeats; r++) {
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (int t = 1; t < threads; t++) pthread_create(&ids[t], NULL, run_part, &parts[t]);
    run_part(&parts[0]);
    for (int t = 1; t < threads; t++) pthread_join(ids[t], NULL);
    // merged in range order, as EStep.local merges its threads' counts
    ll = parts[0].ll;
    for (int t = 1; t < threads; t++) {
      for (size_t i = 0; i < (size_t) items * nodes; i++) {
        parts[0].wrong[i] += parts[t].wrong[i];
        parts[0].right[i] += parts[t].right[i];
      }
      ll += parts[t].ll;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double) (t1.tv_sec - t0.tv_sec) + 1e-9 * (double) (t1.tv_nsec - t0.tv_nsec);
    double cpu = (double) (c1.tv_sec - c0.tv_sec) + 1e-9 * (double) (c1.tv_nsec - c0.tv_nsec);
    if (sec < best) best = sec;
    if (cpu < best_cpu) best_cpu = cpu;
    checksum = 0.0;
    for (size_t i = 0; i < (size_t) items * nodes; i++) checksum += parts[0].right[i] + 2.0 * parts[0].wrong[i];
  }
  printf("%.6f %.6f %.12e %.12e\n", best, best_cpu, ll, checksum);
  return 0;
}
